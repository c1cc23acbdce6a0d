// ResourceQuota admission (validating): every create of a namespaced object, and updates of
// kinds whose usage can change (services), are checked against the namespace's quotas
// (read fresh from etcd) by quota-check.ts. Refusals are 403 Forbidden
// (`pods "x" is forbidden: exceeded quota: ...`). Accepted requests charge the quotas'
// status.used in the SAME etcd transaction as the object, guarded by each quota's
// mod_revision: two concurrent creates can never both take the last unit — the loser's
// transaction fails and the store admits it again against the new usage. (Upstream charges
// the quota first and then creates; k8ts can do both at once, so a failed create never
// leaves usage over-counted.) Dry runs are checked but charge nothing. Subresource writes
// are not checked.
import { Errors, evaluatorFor, formatResourceList, type KubeObject } from '@k8ts/shared';
import { qualifiedResource, type ResourceDef } from '../registry/types.js';
import { encode } from '../storage/codec.js';
import { objectKey } from '../storage/keys.js';
import { checkQuotaRequest } from './quota-check.js';
import type { AdmissionAttributes, AtomicWrites, ValidatingPlugin } from './types.js';

export interface ResourceQuotaDeps {
  quotaDef: ResourceDef;
  /** the namespace's ResourceQuotas, fresh from storage */
  listQuotas(namespace: string): Promise<KubeObject[]>;
  /** a hint: false when the namespace certainly has no quota (skips the storage read) */
  mayHaveQuotas?(namespace: string): boolean;
  /** told before a ResourceQuota is created (keeps the hint above exact) */
  noteQuotaCreate?(namespace: string): void;
  now?: () => number;
}

export function resourceQuotaAdmission(deps: ResourceQuotaDeps): ValidatingPlugin {
  const now = deps.now ?? Date.now;
  return {
    name: 'ResourceQuota',
    async validate(a: AdmissionAttributes, writes: AtomicWrites) {
      if (!a.namespace || !a.resource.namespaced || a.subresource) return;
      if (a.operation === 'CREATE' && a.resource === deps.quotaDef) deps.noteQuotaCreate?.(a.namespace);
      const resource = qualifiedResource(a.resource);
      if (a.operation === 'UPDATE' && !evaluatorFor(resource).handlesUpdate) return;
      if (deps.mayHaveQuotas && !deps.mayHaveQuotas(a.namespace)) return;
      const quotas = await deps.listQuotas(a.namespace);
      if (quotas.length === 0) return;
      const res = checkQuotaRequest({ operation: a.operation, resource, object: a.object, oldObject: a.oldObject, quotas, now: now() });
      if (!res.allowed) {
        throw Errors.forbidden(`${resource} "${a.name}" is forbidden: ${res.message}`, {
          name: a.name, kind: a.resource.plural, ...(a.resource.group ? { group: a.resource.group } : {}),
        });
      }
      if (a.dryRun) return;
      for (const { quota, used } of res.charges) {
        const key = Buffer.from(objectKey(deps.quotaDef, quota.metadata.namespace, quota.metadata.name!));
        const next: KubeObject = { ...quota, status: { ...quota.status, used: formatResourceList(used) } };
        writes.compare.push({ key, target: 'Mod', result: 'Equal', mod_revision: quota.metadata.resourceVersion! });
        writes.ops.push({ request_put: { key, value: encode(next) } });
      }
    },
  };
}
