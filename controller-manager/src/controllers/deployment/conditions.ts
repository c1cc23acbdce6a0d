// Deployment conditions (upstream deployment util): the reasons, and get/set/remove with
// upstream's rules — setting a condition with the same status and reason is a no-op; a
// changed reason with the same status keeps lastTransitionTime; a new condition goes last.
import type { ConditionStatus, DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from './types.js';

export const Progressing = 'Progressing';
export const Available = 'Available';
export const ReplicaFailure = 'ReplicaFailure';

export const Reasons = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** RFC 3339 with second precision, as metav1.Time serializes. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const c = { ...condition };
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

export function replicaSetToDeploymentCondition(c: ReplicaSetCondition): DeploymentCondition {
  const out: DeploymentCondition = { type: c.type, status: c.status };
  if (c.lastTransitionTime) { out.lastTransitionTime = c.lastTransitionTime; out.lastUpdateTime = c.lastTransitionTime; }
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}
