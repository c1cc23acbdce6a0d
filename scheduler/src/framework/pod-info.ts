// PodInfo: everything the plugins need from a pod, computed once per pod object (not once
// per node). A pod whose spec cannot be interpreted (e.g. an unparsable quantity) gets
// `error` set; the scheduler reports it instead of running the plugins.
import { objectKey, type KubeObject } from '@k8ts/shared';
import { computePodRequests, PodSpecError, type PodRequests } from './resources.js';
import { nodeSelectorMatcher, termMatcher, type NodeMatcher, type NodeSelectorTerm } from './node-selector.js';
import type { Toleration } from './types.js';

export interface HostPort { protocol: string; hostIP: string; hostPort: number }

export interface PodInfo {
  pod: KubeObject;
  key: string;
  uid: string;
  namespace: string;
  requests: PodRequests;
  tolerations: Toleration[];
  nodeSelector?: Record<string, string>;
  requiredAffinity?: NodeMatcher;
  preferredAffinity: Array<{ weight: number; matches: NodeMatcher }>;
  hostPorts: HostPort[];
  /** uid of the controller owner (ownerReferences[].controller), for spreading. */
  ownerUid?: string;
  /** ownerUid interned to a small integer (-1 when none): cheap Map keys in NodeInfo. */
  ownerId: number;
  priority: number;
  error?: string;
}

const EMPTY_REQUESTS: PodRequests = { milliCPU: 0, memory: 0, scalar: new Map(), nonZeroMilliCPU: 0, nonZeroMemory: 0 };

export function hostPortsOf(spec: Record<string, any>): HostPort[] {
  const out: HostPort[] = [];
  for (const c of (spec.containers ?? []) as Array<{ ports?: Array<Record<string, unknown>> }>) {
    for (const p of c.ports ?? []) {
      const hostPort = Number(p.hostPort ?? 0);
      if (hostPort > 0) out.push({ protocol: String(p.protocol ?? 'TCP'), hostIP: String(p.hostIP || '0.0.0.0'), hostPort });
    }
  }
  return out;
}

const ownerIds = new Map<string, number>();

/** A small integer per distinct owner uid, stable for the process lifetime (uids are never reused). */
export function internOwner(uid: string | undefined): number {
  if (!uid) return -1;
  let id = ownerIds.get(uid);
  if (id === undefined) ownerIds.set(uid, id = ownerIds.size);
  return id;
}

export function controllerOwnerUid(pod: KubeObject): string | undefined {
  for (const r of pod.metadata.ownerReferences ?? []) if (r.controller) return r.uid;
  return undefined;
}

export function newPodInfo(pod: KubeObject): PodInfo {
  const spec = (pod.spec ?? {}) as Record<string, any>;
  const info: PodInfo = {
    pod,
    key: objectKey(pod),
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? 'default',
    requests: EMPTY_REQUESTS,
    tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : [],
    preferredAffinity: [],
    hostPorts: [],
    ownerUid: undefined,
    ownerId: -1,
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
  };
  info.ownerUid = controllerOwnerUid(pod);
  info.ownerId = internOwner(info.ownerUid);
  try {
    info.requests = computePodRequests(pod);
    info.hostPorts = hostPortsOf(spec);
    if (spec.nodeSelector && Object.keys(spec.nodeSelector).length) info.nodeSelector = spec.nodeSelector;
    const na = spec.affinity?.nodeAffinity;
    const required = na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
    if (required) info.requiredAffinity = nodeSelectorMatcher(required);
    for (const p of (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Array<{ weight?: number; preference?: NodeSelectorTerm }>) {
      if (p.weight && p.preference) info.preferredAffinity.push({ weight: p.weight, matches: termMatcher(p.preference) });
    }
  } catch (e) {
    info.error = e instanceof PodSpecError ? e.message : `cannot interpret pod spec: ${(e as Error).message}`;
  }
  return info;
}
