// The ResourceQuota admission decision (upstream plugin/pkg/admission/resourcequota
// checkRequest), pure: given the namespace's quotas and one create/update, either the
// reason to refuse (the text after `<resource> "<name>" is forbidden: `) or the new
// status.used of every quota the request charges.
//
// Rules, as upstream:
// - a quota concerns the object when its status.hard names a resource the object's kind
//   consumes and all its scopes select the object (a quota without status.hard, not yet
//   seen by the quota controller, concerns nothing);
// - cpu/memory quotas require every container to state them ("failed quota: ...");
// - a concerned quota whose status.used lacks one of those resources refuses ("status unknown");
// - the object's usage (on update: minus the old object's, floored at 0) is added to used
//   and compared with hard for the resources it consumes ("exceeded quota: ...").
import {
  addResources, evaluatorFor, maskResources, matchesQuotaScopes, negativeResources, parseResourceList,
  prettyPrintResources, removeZeroResources, resourcesLessThanOrEqual, type KubeObject, type ResourceList,
} from '@k8ts/shared';

export interface QuotaCheckInput {
  operation: 'CREATE' | 'UPDATE';
  /** plural[.group] */
  resource: string;
  object: KubeObject;
  oldObject?: KubeObject;
  quotas: KubeObject[];
  now: number;
}

export type QuotaCheckResult =
  | { allowed: false; message: string }
  | { allowed: true; charges: Array<{ quota: KubeObject; used: ResourceList }> };

function subtractNonNegative(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, q] of Object.entries(a)) {
    const v = q.milli - (b[k]?.milli ?? 0n);
    out[k] = { milli: v > 0n ? v : 0n, format: q.format };
  }
  for (const k of Object.keys(b)) if (!out[k]) out[k] = { milli: 0n, format: 'DecimalSI' };
  return out;
}

export function checkQuotaRequest(input: QuotaCheckInput): QuotaCheckResult {
  const ev = evaluatorFor(input.resource);
  if (input.operation === 'UPDATE' && !ev.handlesUpdate) return { allowed: true, charges: [] };
  const obj = input.object;
  const concerned: KubeObject[] = [];
  for (const quota of input.quotas) {
    const hard = parseResourceList(quota.status?.hard);
    const restricted = ev.matchingResources(Object.keys(hard));
    if (restricted.length === 0 || !matchesQuotaScopes(ev, quota, obj)) continue;
    const name = quota.metadata.name;
    const failed = ev.constraints(restricted, obj);
    if (failed) return { allowed: false, message: `failed quota: ${name}: ${failed}` };
    const used = (quota.status?.used ?? {}) as Record<string, unknown>;
    if (restricted.some((r) => used[r] === undefined)) {
      return { allowed: false, message: `status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}` };
    }
    concerned.push(quota);
  }
  if (concerned.length === 0) return { allowed: true, charges: [] };

  let delta = ev.usage(obj, input.now);
  const negative = negativeResources(delta);
  if (negative.length) return { allowed: false, message: `quota usage is negative for resource(s): ${negative.join(',')}` };
  if (input.operation === 'UPDATE') {
    if (!input.oldObject) return { allowed: false, message: 'unable to get previous usage since prior version of object was not found' };
    delta = subtractNonNegative(delta, ev.usage(input.oldObject, input.now));
  }
  delta = removeZeroResources(delta);
  if (Object.keys(delta).length === 0) return { allowed: true, charges: [] };

  const charges: Array<{ quota: KubeObject; used: ResourceList }> = [];
  for (const quota of concerned) {
    const hard = parseResourceList(quota.status?.hard);
    const used = parseResourceList(quota.status?.used);
    const requested = maskResources(delta, Object.keys(hard));
    if (Object.keys(requested).length === 0) continue;
    const newUsage = addResources(used, requested);
    const { ok, exceeded } = resourcesLessThanOrEqual(maskResources(newUsage, Object.keys(requested)), hard);
    if (!ok) {
      return {
        allowed: false,
        message: `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrintResources(maskResources(requested, exceeded))}, `
          + `used: ${prettyPrintResources(maskResources(used, exceeded))}, limited: ${prettyPrintResources(maskResources(hard, exceeded))}`,
      };
    }
    charges.push({ quota, used: newUsage });
  }
  return { allowed: true, charges };
}
