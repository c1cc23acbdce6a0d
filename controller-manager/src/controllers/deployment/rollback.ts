// Server-side rollback through the deprecated.deployment.rollback.to annotation (how apps/v1
// round-trips extensions/v1beta1's spec.rollbackTo; upstream rollback.go). Modern
// `kubectl rollout undo` does not use it: it patches the template itself, and the controller
// then finds the old ReplicaSet by template and gives it the next revision (sync.ts).
//
// Contract: revision 0 means the previous revision. The Deployment takes the target
// ReplicaSet's template (without the hash label) and annotations, and the annotation is removed
// in the same update; a missing revision or an unchanged template only removes it, with a
// Warning event (DeploymentRollbackRevisionNotFound / DeploymentRollbackTemplateUnchanged).
// A successful rollback records DeploymentRollback.
import { clearRollbackTo, lastRevision, revisionOf, setDeploymentAnnotationsTo } from './annotations.js';
import { recordEvent, updateDeployment, type SyncContext } from './context.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import { getAllReplicaSetsAndSyncRevision } from './sync.js';
import { POD_TEMPLATE_HASH_LABEL, type Deployment, type ReplicaSet } from './types.js';

export async function rollback(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], toRevision: number): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = toRevision;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      recordEvent(ctx, d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find last revision.');
      return clearAndUpdate(ctx, d);
    }
  }
  const target = allRSs.find((rs) => revisionOf(rs) === revision);
  if (!target) {
    recordEvent(ctx, d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
    return clearAndUpdate(ctx, d);
  }
  if (equalIgnoreHash(d.spec.template, target.spec.template)) {
    recordEvent(ctx, d, 'Warning', 'DeploymentRollbackTemplateUnchanged', `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
    return clearAndUpdate(ctx, d);
  }
  const template = structuredClone(target.spec.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  d.spec.template = template;
  setDeploymentAnnotationsTo(d, target);
  await clearAndUpdate(ctx, d);
  recordEvent(ctx, d, 'Normal', 'DeploymentRollback', `Rolled back deployment "${d.metadata.name}" to revision ${revision}`);
}

async function clearAndUpdate(ctx: SyncContext, d: Deployment): Promise<void> {
  clearRollbackTo(d);
  await updateDeployment(ctx, d);
}
