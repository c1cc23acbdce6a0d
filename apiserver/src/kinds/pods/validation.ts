// Pod validation: the PodSpec (on every write), update rules (the spec is immutable except
// images, activeDeadlineSeconds, added tolerations and a negative grace period set to 1),
// and status updates. Metadata is validated by validateMetaFor (kinds/validate-meta.ts).
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asArray, asRecord, child, index, isSet } from '../common/field-path.js';
import { IP_MSG, isDNS1123Subdomain, isIP } from '../common/name-validation.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';
import { validatePodSpec, validateTolerations } from '../common/pod-spec-validation.js';
import { clone, deepEqual } from '../common/strategy-helpers.js';

type Rec = Record<string, any>;

const MAX_INT32 = 2147483647;

export const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePod(pod: KubeObject): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

function validateOnlyAddedTolerations(newT: unknown, oldT: unknown, field: string): FieldError[] {
  const next = asArray<Rec>(newT).map(asRecord);
  for (const old of asArray<Rec>(oldT).map(asRecord)) {
    const found = next.some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [FieldErrors.forbidden(field, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(newT, field);
}

function validateActiveDeadline(next: unknown, old: unknown): FieldError[] {
  const field = 'spec.activeDeadlineSeconds';
  if (isSet(next)) {
    if (typeof next !== 'number' || next < 0 || next > MAX_INT32) return [FieldErrors.invalid(field, next, `must be between 0 and ${MAX_INT32}, inclusive`)];
    if (typeof old === 'number' && old < next) return [FieldErrors.invalid(field, next, 'must be less than or equal to previous value')];
  } else if (isSet(old)) {
    return [FieldErrors.invalid(field, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

/** The spec of an existing pod may change only in the ways upstream allows. */
export function validatePodSpecUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec = asRecord(pod.spec);
  const oldSpec = asRecord(old.spec);
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    if (asArray(spec[list]).length !== asArray(oldSpec[list]).length) {
      errs.push(FieldErrors.forbidden(child('spec', list), 'pod updates may not add or remove containers'));
    }
  }
  if (errs.length) return errs;
  errs.push(...validateActiveDeadline(spec.activeDeadlineSeconds, oldSpec.activeDeadlineSeconds));
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));

  // Blank out what may change, then the rest must be equal.
  const mutated: Rec = clone(spec);
  for (const list of ['containers', 'initContainers'] as const) {
    asArray<Rec>(mutated[list]).forEach((c, i) => { c.image = asRecord(asArray(oldSpec[list])[i]).image; });
  }
  mutated.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  mutated.tolerations = oldSpec.tolerations;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && mutated.terminationGracePeriodSeconds === 1) {
    mutated.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // scheduling gates may be removed
  if (asArray(mutated.schedulingGates).length <= asArray(oldSpec.schedulingGates).length) mutated.schedulingGates = oldSpec.schedulingGates;
  for (const k of Object.keys(mutated)) if (mutated[k] === undefined) delete mutated[k];
  if (!deepEqual(mutated, oldSpec)) errs.push(FieldErrors.forbidden('spec', POD_UPDATE_FORBIDDEN));
  return errs;
}

/** Update-only rules (the store runs validatePod as well). */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  return [...validateObjectMetaUpdate(pod, old), ...validatePodSpecUpdate(pod, old)];
}

export function validatePodStatusUpdate(pod: KubeObject): FieldError[] {
  const status = asRecord(pod.status);
  const errs: FieldError[] = [];
  if (typeof status.nominatedNodeName === 'string' && status.nominatedNodeName !== '') {
    for (const m of isDNS1123Subdomain(status.nominatedNodeName)) errs.push(FieldErrors.invalid('status.nominatedNodeName', status.nominatedNodeName, m));
  }
  for (const list of ['podIPs', 'hostIPs'] as const) {
    const ips = asArray(status[list]);
    if (ips.length > 2) errs.push(FieldErrors.invalid(child('status', list), ips, 'may specify no more than one IP for each IP family'));
    ips.forEach((raw, i) => {
      const ip = asRecord(raw).ip;
      if (!isIP(String(ip ?? ''))) errs.push(FieldErrors.invalid(child(index(child('status', list), i), 'ip'), ip ?? '', IP_MSG));
    });
  }
  for (const list of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const) {
    asArray(status[list]).forEach((raw, i) => {
      const rc = asRecord(raw).restartCount;
      if (typeof rc === 'number' && rc < 0) errs.push(FieldErrors.invalid(child(index(child('status', list), i), 'restartCount'), rc, 'must be greater than or equal to 0'));
    });
  }
  return errs;
}
