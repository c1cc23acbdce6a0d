// Node taint vocabulary and helpers shared by the node lifecycle and taint eviction
// controllers (upstream k8s.io/api well-known taints + pkg/util/taints). Pure.
import type { KubeObject } from '@k8ts/shared';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Condition (type, status) → the NoSchedule taint it implies (upstream nodeConditionToTaintKeyStatusMap). */
export const CONDITION_TAINTS: ReadonlyArray<{ type: string; status: string; key: string }> = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_DISK_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NETWORK_UNAVAILABLE },
  { type: 'PIDPressure', status: 'True', key: TAINT_PID_PRESSURE },
];

export const nodeTaints = (node: KubeObject): Taint[] => (Array.isArray(node.spec?.taints) ? node.spec.taints : []);

export const sameTaint = (a: Taint, b: Pick<Taint, 'key' | 'effect'>): boolean => a.key === b.key && a.effect === b.effect;

export function hasTaint(node: KubeObject, key: string, effect: string): boolean {
  return nodeTaints(node).some((t) => t.key === key && t.effect === effect);
}

export function getCondition(node: KubeObject, type: string): Record<string, any> | undefined {
  const conds: unknown = node.status?.conditions;
  return Array.isArray(conds) ? conds.find((c) => c?.type === type) : undefined;
}

/** upstream Toleration.ToleratesTaint */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  switch (tol.operator || 'Equal') {
    case 'Exists': return true;
    case 'Equal': return (tol.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
