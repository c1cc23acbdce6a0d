// Owner references with controller=true (upstream's ControllerRef) and claiming: the adopt /
// release rules every owning controller (ReplicaSet, ReplicationController, Deployment) shares.
//
// Contract of claim():
// - An object whose controllerRef points to the owner (by uid) and still matches the selector
//   is kept; one that no longer matches is released (its ownerReference to the owner removed),
//   unless the owner is being deleted: then it is left alone and not counted (upstream).
// - An orphan (no controllerRef) that matches, is not being deleted, and whose owner is not
//   being deleted is adopted (ownerReference with controller=true, blockOwnerDeletion=true added).
// - Objects controlled by someone else are ignored.
// - Adopt/release are merge-patches guarded by the object's uid (a precondition in the patch
//   body); a 404 or 409/422 drops the object from the result silently (lost race).
// - Before adopting, `recheckOwner` (when given) re-reads the owner from the API and must
//   confirm its uid and that it is not being deleted (upstream's RecheckDeletionTimestamp).
import {
  isStatusError, type ApiClient, type KubeObject, type OwnerReference, type ResourceRef,
} from '@k8ts/shared';

export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = getControllerOf(obj);
  return !!ref && ref.uid === owner.metadata.uid;
}

export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true,
  };
}

export interface ClaimArgs<T extends KubeObject> {
  client: Pick<ApiClient, 'patch' | 'get'>;
  /** The owner (must have uid). */
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** The claimed objects' resource. */
  ref: ResourceRef;
  candidates: T[];
  matches: (obj: T) => boolean;
  /** Re-reads the owner; returns false if it is gone, has another uid, or is being deleted. */
  recheckOwner?: () => Promise<boolean>;
  signal?: AbortSignal;
}

/** Returns the objects the owner controls after adopting and releasing. */
export async function claim<T extends KubeObject>(args: ClaimArgs<T>): Promise<T[]> {
  const { owner, client, ref } = args;
  const owned: T[] = [];
  let ownerChecked: boolean | undefined;
  for (const obj of args.candidates) {
    const ctl = getControllerOf(obj);
    if (ctl) {
      if (ctl.uid !== owner.metadata.uid) continue;
      if (args.matches(obj)) { owned.push(obj); continue; }
      if (owner.metadata.deletionTimestamp) continue; // no longer ours, but a deleting owner releases nothing
      const remaining = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
      await patchIgnoringRace(client, ref, obj, { metadata: { uid: obj.metadata.uid, ownerReferences: remaining } }, args.signal);
      continue;
    }
    if (!args.matches(obj) || obj.metadata.deletionTimestamp || owner.metadata.deletionTimestamp) continue;
    if (args.recheckOwner) {
      ownerChecked ??= await args.recheckOwner();
      if (!ownerChecked) continue;
    }
    const refs = [...(obj.metadata.ownerReferences ?? []), newControllerRef(owner, args.ownerApiVersion, args.ownerKind)];
    const adopted = await patchIgnoringRace<T>(client, ref, obj, { metadata: { uid: obj.metadata.uid, ownerReferences: refs } }, args.signal);
    if (adopted) owned.push(adopted);
  }
  return owned;
}

async function patchIgnoringRace<T extends KubeObject>(
  client: Pick<ApiClient, 'patch'>, ref: ResourceRef, obj: KubeObject, body: unknown, signal?: AbortSignal,
): Promise<T | undefined> {
  try {
    return await client.patch<T>(ref, obj.metadata.namespace, obj.metadata.name!, body, 'merge', undefined, { signal });
  } catch (e) {
    if (isStatusError(e) && [404, 409, 422].includes(e.status.code)) return undefined;
    throw e;
  }
}
