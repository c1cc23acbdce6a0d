// Pure bookkeeping of node heartbeats (upstream nodeHealthData + tryUpdateNodeHealth).
//
// probeTimestamp is the controller's LOCAL time of the last sign of life: a change of the
// Ready condition's lastHeartbeatTime, or a newer Lease renewTime. A node first seen gets
// probeTimestamp = now (a restarted controller grants a full grace period), except a node
// that never posted a Ready condition, whose clock starts at its creationTimestamp.
// When now > probeTimestamp + grace (startup grace for nodes that never posted Ready, else the
// monitor grace), Ready, MemoryPressure, DiskPressure and PIDPressure become Unknown:
// existing ones keep lastHeartbeatTime and get reason NodeStatusUnknown "Kubelet stopped
// posting node status." (lastTransitionTime now, only if not already Unknown); missing ones
// are added with reason NodeStatusNeverUpdated "Kubelet never posted node status.".
import type { KubeObject } from '@k8ts/shared';
import { getCondition, rfc3339 } from './taints.js';

export interface NodeHealth {
  /** The Ready condition as last observed (JSON), or undefined if the node had none. */
  readyHeartbeat?: string;
  readyTransition?: string;
  hadReady: boolean;
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** Lease spec.renewTime last observed, ms since epoch. */
  leaseRenewMs?: number;
}

export const UNKNOWN_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export function observeNode(saved: NodeHealth | undefined, node: KubeObject, lease: KubeObject | undefined, now: number): NodeHealth {
  const ready = getCondition(node, 'Ready');
  const created = Date.parse(node.metadata.creationTimestamp ?? '') || now;
  let h: NodeHealth;
  if (!ready) {
    h = saved ? { ...saved, hadReady: false, readyHeartbeat: undefined, readyTransition: undefined }
      : { hadReady: false, probeTimestamp: created, readyTransitionTimestamp: created };
  } else if (!saved || !saved.hadReady) {
    h = { hadReady: true, readyHeartbeat: ready.lastHeartbeatTime, readyTransition: ready.lastTransitionTime, probeTimestamp: now, readyTransitionTimestamp: now, leaseRenewMs: saved?.leaseRenewMs };
  } else if (saved.readyHeartbeat !== ready.lastHeartbeatTime) {
    h = {
      hadReady: true, readyHeartbeat: ready.lastHeartbeatTime, readyTransition: ready.lastTransitionTime, probeTimestamp: now,
      readyTransitionTimestamp: saved.readyTransition !== ready.lastTransitionTime ? now : saved.readyTransitionTimestamp,
      leaseRenewMs: saved.leaseRenewMs,
    };
  } else {
    h = { ...saved };
  }
  const renew = Date.parse(lease?.spec?.renewTime ?? '');
  if (Number.isFinite(renew) && (h.leaseRenewMs === undefined || renew > h.leaseRenewMs)) {
    h.leaseRenewMs = renew;
    h.probeTimestamp = now;
  }
  return h;
}

export function gracePeriodFor(node: KubeObject, monitorGraceMs: number, startupGraceMs: number): number {
  return getCondition(node, 'Ready') ? monitorGraceMs : startupGraceMs;
}

/**
 * The node's conditions after a missed grace period, or undefined when nothing would change.
 * Does not mutate `node`.
 */
export function conditionsForSilentNode(node: KubeObject, now: number): Record<string, any>[] | undefined {
  const conds: Record<string, any>[] = Array.isArray(node.status?.conditions) ? node.status.conditions.map((c: object) => ({ ...c })) : [];
  const stamp = rfc3339(now);
  let changed = false;
  for (const type of UNKNOWN_CONDITION_TYPES) {
    const c = conds.find((x) => x.type === type);
    if (!c) {
      conds.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: stamp,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp });
      changed = true;
    }
  }
  return changed ? conds : undefined;
}
