// The two kinds one replica engine serves (upstream runs the ReplicationController
// controller as the ReplicaSet controller over converted objects): what differs between them
// is only their REST resource, their TypeMeta, the event source, and the selector shape —
// apps/v1 ReplicaSet has a LabelSelector, core/v1 ReplicationController a plain map
// (defaulted to the template's labels by the apiserver).
//
// selector() returns undefined for a missing, empty or malformed selector: such an owner
// matches (and so claims and creates) nothing, instead of every pod in its namespace.
import { labelSelectorMatcher, Resources, type KubeObject, type LabelMatcher, type ResourceRef } from '@k8ts/shared';

export interface ReplicaKind {
  /** Controller name in --controllers. */
  controllerName: 'replicaset' | 'replicationcontroller';
  ref: ResourceRef;
  apiVersion: string;
  kind: string;
  /** Event source component. */
  component: string;
  selector(owner: KubeObject): LabelMatcher | undefined;
}

function compile(sel: Parameters<typeof labelSelectorMatcher>[0]): LabelMatcher | undefined {
  try {
    const m = labelSelectorMatcher(sel);
    return m.empty ? undefined : m;
  } catch {
    return undefined;
  }
}

export const REPLICA_SET: ReplicaKind = {
  controllerName: 'replicaset',
  ref: Resources.replicasets,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (rs) => {
    const sel = rs.spec?.selector;
    return sel && typeof sel === 'object' ? compile(sel) : undefined;
  },
};

export const REPLICATION_CONTROLLER: ReplicaKind = {
  controllerName: 'replicationcontroller',
  ref: Resources.replicationcontrollers,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  selector: (rc) => {
    const sel = rc.spec?.selector;
    if (!sel || typeof sel !== 'object' || Array.isArray(sel)) return undefined;
    for (const v of Object.values(sel)) if (typeof v !== 'string') return undefined;
    return compile({ matchLabels: sel as Record<string, string> });
  },
};
