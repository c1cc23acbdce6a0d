// Informer events → cache and queue (upstream's eventhandlers.go).
//
// - Unassigned pods (spec.nodeName empty) this scheduler is responsible for
//   (spec.schedulerName is ours or unset) and not terminating go to the queue; updates
//   replace the queued copy; deletes (including "left the unassigned selector because it was
//   bound") remove it. Pods the cache has assumed are not queued again.
// - Assigned pods go to the cache (confirming assumed ones); a deleted one frees resources
//   and ports, so unschedulable pods rejected for those move (AssignedPodDelete).
// - Nodes go to the cache; an added node moves every unschedulable pod, an update moves the
//   pods rejected by the plugins whose inputs changed (allocatable, labels, taints,
//   spec.unschedulable, Ready).
import type { KubeObject } from '@k8ts/shared';
import { objectKey } from '@k8ts/shared';
import type { SchedulerCache } from './cache/scheduler-cache.js';
import type { ClusterEvent, SchedulingQueue } from './queue/scheduling-queue.js';

export const ASSIGNED_POD_DELETE: ClusterEvent = { label: 'AssignedPodDelete', plugins: new Set(['NodeResourcesFit', 'NodePorts']) };
export const NODE_ADD: ClusterEvent = { label: 'NodeAdd' };

export function responsibleForPod(pod: KubeObject, schedulerName: string): boolean {
  const name = (pod.spec?.schedulerName as string | undefined) || 'default-scheduler';
  return name === schedulerName;
}

export function isTerminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** The plugins whose input changed between two versions of a node; undefined when none did. */
export function nodeUpdateEvent(oldNode: KubeObject, newNode: KubeObject): ClusterEvent | undefined {
  const plugins = new Set<string>();
  const j = (v: unknown): string => JSON.stringify(v ?? null);
  const st = (n: KubeObject): any => n.status ?? {};
  if (j(st(oldNode).allocatable ?? st(oldNode).capacity) !== j(st(newNode).allocatable ?? st(newNode).capacity)) plugins.add('NodeResourcesFit');
  if (j(oldNode.metadata.labels) !== j(newNode.metadata.labels)) plugins.add('NodeAffinity');
  if (j(oldNode.spec?.taints) !== j(newNode.spec?.taints)) { plugins.add('TaintToleration'); plugins.add('NodeReady'); }
  if (!!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) plugins.add('NodeUnschedulable');
  const ready = (n: KubeObject): string => ((st(n).conditions ?? []) as Array<{ type: string; status: string }>).find((c) => c.type === 'Ready')?.status ?? '';
  if (ready(oldNode) !== ready(newNode)) plugins.add('NodeReady');
  return plugins.size ? { label: 'NodeUpdate', plugins } : undefined;
}

export interface HandlerTargets {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  schedulerName: string;
}

export function unassignedPodHandlers(t: HandlerTargets) {
  const wanted = (pod: KubeObject): boolean =>
    !pod.spec?.nodeName && responsibleForPod(pod, t.schedulerName) && !isTerminating(pod);
  return {
    onAdd(pod: KubeObject): void {
      if (wanted(pod) && !t.cache.hasPodInstance(pod)) t.queue.add(pod);
    },
    onUpdate(_old: KubeObject, pod: KubeObject): void {
      const key = objectKey(pod);
      if (!wanted(pod)) { t.queue.delete(key); return; }
      if (t.cache.hasPodInstance(pod)) return;
      t.queue.update(pod);
    },
    onDelete(pod: KubeObject): void {
      t.queue.delete(objectKey(pod));
    },
  };
}

export function assignedPodHandlers(t: HandlerTargets) {
  return {
    onAdd(pod: KubeObject): void {
      t.cache.addOrUpdatePod(pod);
    },
    onUpdate(_old: KubeObject, pod: KubeObject): void {
      t.cache.addOrUpdatePod(pod);
    },
    onDelete(pod: KubeObject): void {
      const key = objectKey(pod);
      // the pod may have been deleted and recreated (new uid) meanwhile: only drop the very
      // pod that was deleted, and never one the scheduler has just assumed
      if (t.cache.hasPodInstance(pod) && !t.cache.isAssumed(key)) t.cache.removePod(key);
      t.queue.moveAllToActiveOrBackoff(ASSIGNED_POD_DELETE);
    },
  };
}

export function nodeHandlers(t: HandlerTargets) {
  return {
    onAdd(node: KubeObject): void {
      t.cache.addOrUpdateNode(node);
      t.queue.moveAllToActiveOrBackoff(NODE_ADD);
    },
    onUpdate(old: KubeObject, node: KubeObject): void {
      t.cache.addOrUpdateNode(node);
      const ev = nodeUpdateEvent(old, node);
      if (ev) t.queue.moveAllToActiveOrBackoff(ev);
    },
    onDelete(node: KubeObject): void {
      t.cache.removeNode(node.metadata.name!);
    },
  };
}
