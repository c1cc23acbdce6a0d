// Writes the PodScheduled=False condition of a pod that fits no node (upstream's
// updatePod in handleSchedulingFailure): a strategic-merge patch of pods/status whose
// conditions list merges by `type`, so other conditions are kept. Skipped when the pod already
// carries the same status, reason and message; lastTransitionTime changes only when the status
// changes (podutil.UpdatePodCondition).
import type { ApiClient, KubeObject } from '@k8ts/shared';
import { Resources } from '@k8ts/shared';

interface PodCondition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string | null }

export function podScheduledFalsePatch(pod: KubeObject, reason: string, message: string, now: Date): object | undefined {
  const conds = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions) ?? [];
  const old = conds.find((c) => c.type === 'PodScheduled');
  if (old && old.status === 'False' && old.reason === reason && old.message === message) return undefined;
  const lastTransitionTime = old && old.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : now.toISOString().replace(/\.\d+Z$/, 'Z');
  return { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime }] } };
}

export async function patchPodScheduledFalse(client: Pick<ApiClient, 'patch'>, pod: KubeObject, reason: string, message: string, now = new Date()): Promise<void> {
  const body = podScheduledFalsePatch(pod, reason, message, now);
  if (!body) return;
  await client.patch(Resources.pods, pod.metadata.namespace, pod.metadata.name!, body, 'strategic', 'status');
}
