// READY, STATUS and RESTARTS of `kubectl get pods`, computed the way upstream's printPod
// does: init containers first (`Init:0/2`, `Init:CrashLoopBackOff`, `Init:Error`), then
// the app containers from last to first (waiting reason, terminated reason, `ExitCode:N`),
// `Terminating` once a deletionTimestamp is set, and restarts with `(5m ago)`.
import type { KubeObject } from '@k8ts/shared';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';

type Rec = Record<string, any>;

export interface PodStatusCells {
  ready: string;
  status: string;
  restarts: string;
}

const NODE_UNREACHABLE_REASON = 'NodeLost';

const isTerminalPhase = (phase: unknown): boolean => phase === 'Succeeded' || phase === 'Failed';

function hasTrueCondition(status: Rec, type: string): boolean {
  return asArray(status.conditions).some((c) => asRecord(c).type === type && asRecord(c).status === 'True');
}

function finishedAt(containerStatus: Rec): number | undefined {
  const at = asRecord(asRecord(containerStatus.lastState).terminated).finishedAt;
  if (typeof at !== 'string') return undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : t;
}

function terminatedText(t: Rec, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

export function podStatusCells(pod: KubeObject, now: Date): PodStatusCells {
  const spec = asRecord(pod.spec);
  const status = asRecord(pod.status);
  const initSpecs = new Map<string, Rec>(asArray<Rec>(spec.initContainers).map((c) => [asRecord(c).name, asRecord(c)]));
  const isSidecar = (name: string): boolean => initSpecs.get(name)?.restartPolicy === 'Always';

  const total = asArray(spec.containers).length + [...initSpecs.values()].filter((c) => c.restartPolicy === 'Always').length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined => (b !== undefined && (a === undefined || b > a) ? b : a);

  let reason: string = status.reason || status.phase || '';
  for (const c of asArray(status.conditions)) {
    if (asRecord(c).type === 'PodScheduled' && asRecord(c).reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initStatuses = asArray<Rec>(status.initContainerStatuses).map(asRecord);
  const initCount = initSpecs.size;
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const state = asRecord(cs.state);
    restarts += cs.restartCount ?? 0;
    lastRestart = later(lastRestart, finishedAt(cs));
    if (isSidecar(cs.name)) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finishedAt(cs));
    }
    const terminated = isSet(state.terminated) ? asRecord(state.terminated) : undefined;
    const waiting = isSet(state.waiting) ? asRecord(state.waiting) : undefined;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (isSidecar(cs.name) && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedText(terminated, 'Init:');
    else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = asArray<Rec>(status.containerStatuses).map(asRecord);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      const state = asRecord(cs.state);
      restarts += cs.restartCount ?? 0;
      lastRestart = later(lastRestart, finishedAt(cs));
      const waiting = isSet(state.waiting) ? asRecord(state.waiting) : undefined;
      const terminated = isSet(state.terminated) ? asRecord(state.terminated) : undefined;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedText(terminated, '');
      else if (cs.ready === true && isSet(state.running)) { hasRunning = true; ready++; }
    }
    if (reason === 'Completed' && hasRunning) reason = hasTrueCondition(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = isSet(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (deleting && !isTerminalPhase(status.phase)) reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${ageSince(new Date(lastRestart).toISOString(), now)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}
