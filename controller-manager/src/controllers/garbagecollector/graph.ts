// The garbage collector's owner → dependents graph (upstream GraphBuilder's uidToNode and
// processGraphChanges), keyed by uid. Pure and synchronous: informer events go in, and the
// nodes the collector must look at come out (`Work`), for its attemptToDelete and
// attemptToOrphan queues.
//
// Contract:
// - observe(obj) (an informer add/update): a new node is inserted and linked to its owners;
//   an owner not in the graph yet becomes a *virtual* node (known only from an
//   ownerReference) that is sent to attemptToDelete so the collector checks it exists. An
//   existing node gets its owners re-linked; owners a blocking reference was removed from
//   (or made non-blocking) are sent to attemptToDelete if they wait for their dependents.
//   A virtual node observed for real becomes real and keeps its dependents.
// - Transitions, re-evaluated on every observation (the work queues deduplicate):
//   deletionTimestamp + `orphan` finalizer → the node goes to attemptToOrphan;
//   deletionTimestamp + `foregroundDeletion` → it is marked deletingDependents, and it and
//   all its dependents go to attemptToDelete.
//   A node inserted under an owner that is deletingDependents goes to attemptToDelete too
//   (a dependent the owner's foreground deletion must still wait for).
// - remove(uid) (an informer delete, or a virtual delete after the collector found the
//   object gone): the node is unlinked; its dependents go to attemptToDelete, and so do its
//   owners that wait for their dependents. removeVirtual(uid) does this only if the node is
//   still virtual (a real observation wins).
// Not handled: upstream's reconciliation of virtual nodes whose dependents disagree about the
// owner's coordinates (kind/namespace); the live checks in the collector cover safety.
import type { KubeObject, OwnerReference } from '@k8ts/shared';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped objects (and for virtual owners of cluster-scoped dependents). */
  namespace: string;
  uid: string;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  beingDeleted = false;
  deletingDependents = false;
  constructor(public identity: ObjectIdentity, public virtual: boolean) {}

  /** Dependents whose reference to this node has blockOwnerDeletion=true. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }
}

export interface Work {
  attemptToDelete: GraphNode[];
  attemptToOrphan: GraphNode[];
}

const hasFinalizer = (obj: KubeObject, f: string): boolean => (obj.metadata.finalizers ?? []).includes(f);

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined { return this.nodes.get(uid); }
  get size(): number { return this.nodes.size; }

  /** An add or update seen by an informer; `apiVersion`/`kind` come from the informer's resource. */
  observe(obj: KubeObject, apiVersion: string, kind: string): Work {
    const work: Work = { attemptToDelete: [], attemptToOrphan: [] };
    const uid = obj.metadata.uid;
    if (!uid || !obj.metadata.name) return work;
    const identity: ObjectIdentity = { apiVersion, kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? '', uid };
    const owners = (obj.metadata.ownerReferences ?? []).filter((o) => o && typeof o.uid === 'string' && o.uid !== uid);
    let node = this.nodes.get(uid);
    if (!node) {
      node = new GraphNode(identity, false);
      this.nodes.set(uid, node);
      this.link(node, owners, work);
      if (owners.some((o) => this.nodes.get(o.uid)?.deletingDependents)) work.attemptToDelete.push(node);
    } else {
      if (node.virtual) { node.virtual = false; }
      node.identity = identity;
      this.relink(node, owners, work);
    }
    node.beingDeleted = !!obj.metadata.deletionTimestamp;
    if (node.beingDeleted && hasFinalizer(obj, FINALIZER_ORPHAN)) {
      work.attemptToOrphan.push(node);
    } else if (node.beingDeleted && hasFinalizer(obj, FINALIZER_FOREGROUND)) {
      node.deletingDependents = true;
      work.attemptToDelete.push(...node.dependents, node);
    } else {
      node.deletingDependents = false;
    }
    return work;
  }

  /** The object is gone (informer delete, or the collector found it gone). */
  remove(uid: string): Work {
    const work: Work = { attemptToDelete: [], attemptToOrphan: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.nodes.delete(uid);
    for (const o of node.owners) {
      const owner = this.nodes.get(o.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      if (owner.deletingDependents) work.attemptToDelete.push(owner);
    }
    work.attemptToDelete.push(...node.dependents);
    return work;
  }

  /** Like remove(), but only while the node is still virtual. */
  removeVirtual(uid: string): Work {
    const node = this.nodes.get(uid);
    if (!node?.virtual) return { attemptToDelete: [], attemptToOrphan: [] };
    return this.remove(uid);
  }

  private link(node: GraphNode, owners: OwnerReference[], work: Work): void {
    node.owners = owners;
    for (const o of owners) this.ownerNode(o, node, work).dependents.add(node);
  }

  private ownerNode(o: OwnerReference, dependent: GraphNode, work: Work): GraphNode {
    let owner = this.nodes.get(o.uid);
    if (!owner) {
      owner = new GraphNode({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: dependent.identity.namespace, uid: o.uid }, true);
      this.nodes.set(o.uid, owner);
      work.attemptToDelete.push(owner);
    }
    return owner;
  }

  private relink(node: GraphNode, owners: OwnerReference[], work: Work): void {
    const before = new Map(node.owners.map((o) => [o.uid, o]));
    const after = new Map(owners.map((o) => [o.uid, o]));
    for (const [uid, old] of before) {
      const cur = after.get(uid);
      const owner = this.nodes.get(uid);
      if (!owner) continue;
      if (!cur) owner.dependents.delete(node);
      // a blocking reference removed or made non-blocking may unblock a waiting owner
      if (old.blockOwnerDeletion === true && cur?.blockOwnerDeletion !== true && owner.deletingDependents) work.attemptToDelete.push(owner);
    }
    node.owners = owners;
    for (const o of owners) if (!before.has(o.uid)) this.ownerNode(o, node, work).dependents.add(node);
  }
}
