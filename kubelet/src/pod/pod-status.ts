// Pod status as the kubelet reports it (upstream generateAPIPodStatus / getPhase), computed
// from the runtime's view of the pod's current sandbox plus the worker's waiting reasons.
// Pure: no I/O, the clock comes in as `now`.
//
// Container state per container (latest attempt = highest `attempt` in the sandbox):
//   running container                  → running {startedAt}; ready/started from the probes
//   worker recorded a waiting reason   → waiting {reason, message} (CrashLoopBackOff,
//                                         ErrImagePull, CreateContainerConfigError, ...), with
//                                         lastState = the latest exited attempt
//   latest exited                      → terminated {exitCode, reason Completed|Error, ...},
//                                         lastState = the attempt before it
//   nothing yet                        → waiting ContainerCreating (PodInitializing for app
//                                         containers while init containers run)
// restartCount = the latest attempt number (attempt n is the n-th restart).
// Phase (getPhase): init failure with restartPolicy Never → Failed; init incomplete →
// Pending; any app container waiting (never ran) → Pending; any running → Running; all
// stopped → Always: Running, all exit 0: Succeeded, Never: Failed, OnFailure: Running.
// Conditions: PodReadyToStartContainers, Initialized, ContainersReady, Ready (other types,
// e.g. the scheduler's PodScheduled, are kept); lastTransitionTime only moves on a change.
import type { KubeObject } from '@k8ts/shared';
import type { ContainerProbeState } from '../probes/probe-manager.js';
import type { ContainerStatus, PodSandboxStatus } from '../runtime/types.js';

type Rec = Record<string, any>;

export interface Waiting { reason: string; message?: string }

export interface StatusInput {
  pod: KubeObject;
  now: number;
  hostIP: string;
  sandbox?: PodSandboxStatus;
  /** Every container record of the current sandbox (all attempts). */
  containers: ContainerStatus[];
  waiting: Map<string, Waiting>;
  probe(containerId: string): ContainerProbeState | undefined;
  /** Phase already decided as terminal (kept forever once reported). */
  terminalPhase?: 'Succeeded' | 'Failed';
  /** The pod is being torn down: no container is ready. */
  terminating?: boolean;
}

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function containerIdOf(id: string): string { return `containerd://${id}`; }

/** Attempts of one container name, newest first. */
export function attemptsOf(containers: ContainerStatus[], name: string): ContainerStatus[] {
  return containers.filter((c) => c.name === name).sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
}

function terminatedOf(c: ContainerStatus): Rec {
  const t: Rec = {
    exitCode: c.exitCode ?? 0,
    reason: c.reason ?? ((c.exitCode ?? 0) === 0 ? 'Completed' : 'Error'),
    startedAt: c.startedAt ? rfc3339(c.startedAt) : null,
    finishedAt: c.finishedAt ? rfc3339(c.finishedAt) : null,
    containerID: containerIdOf(c.id),
  };
  if (c.message) t.message = c.message;
  return t;
}

export function containerStatusFor(spec: Rec, input: StatusInput, isInit: boolean, _initDone: boolean): Rec {
  const attempts = attemptsOf(input.containers, spec.name);
  const latest = attempts[0];
  const previous = attempts[1];
  const out: Rec = {
    name: spec.name, state: {}, lastState: {}, ready: false, restartCount: latest?.attempt ?? 0,
    image: spec.image, imageID: '', started: false,
  };
  const waiting = input.waiting.get(spec.name);
  if (latest) {
    out.imageID = latest.imageRef;
    out.containerID = containerIdOf(latest.id);
  }
  if (latest && latest.state === 'running') {
    out.state = { running: { startedAt: rfc3339(latest.startedAt ?? latest.createdAt) } };
    if (previous && previous.state === 'exited') out.lastState = { terminated: terminatedOf(previous) };
    const ps = input.probe(latest.id);
    out.started = ps ? ps.started : true;
    out.ready = !input.terminating && (ps ? ps.ready : true);
  } else if (waiting) {
    out.state = { waiting: waiting.message ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason } };
    if (latest && latest.state === 'exited') out.lastState = { terminated: terminatedOf(latest) };
  } else if (latest && latest.state === 'exited') {
    out.state = { terminated: terminatedOf(latest) };
    if (previous && previous.state === 'exited') out.lastState = { terminated: terminatedOf(previous) };
  } else {
    // upstream: the default waiting reason is PodInitializing whenever the pod has init containers
    const hasInit = ((input.pod.spec?.initContainers ?? []) as Rec[]).length > 0;
    out.state = { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } };
    if (previous && previous.state === 'exited') out.lastState = { terminated: terminatedOf(previous) };
  }
  if (isInit && out.state.terminated?.exitCode === 0) out.ready = true; // upstream: a completed init container is "ready"
  return out;
}

export function computePhase(spec: Rec, initStatuses: Rec[], statuses: Rec[]): string {
  const policy: string = spec.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of initStatuses) {
    if (s.state.terminated) { if (s.state.terminated.exitCode !== 0) failedInit++; continue; }
    if (s.state.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) { failedInit++; continue; }
    pendingInit++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingInit + failedInit > 0) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of statuses) {
    if (s.state.running) running++;
    else if (s.state.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, now: string, reason?: string, message?: string): Rec {
  const c: Rec = { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function computePodStatus(input: StatusInput): Rec {
  const { pod } = input;
  const spec: Rec = pod.spec ?? {};
  const old: Rec = pod.status ?? {};
  const nowIso = rfc3339(input.now);
  const initSpecs: Rec[] = spec.initContainers ?? [];
  const appSpecs: Rec[] = spec.containers ?? [];
  const initStatuses = initSpecs.map((c) => containerStatusFor(c, input, true, false));
  const initDone = initStatuses.every((s) => s.state.terminated?.exitCode === 0);
  const statuses = appSpecs.map((c) => containerStatusFor(c, input, false, initDone));
  let phase = input.terminalPhase ?? computePhase(spec, initStatuses, statuses);
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase; // never leave a terminal phase

  const hostNetwork = spec.hostNetwork === true;
  const podIP = hostNetwork ? input.hostIP : input.sandbox?.ip;
  const sandboxReady = input.sandbox?.state === 'ready' && (hostNetwork || !!input.sandbox.ip);

  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  const incompleteInit = initStatuses.filter((s) => s.state.terminated?.exitCode !== 0).map((s) => s.name);
  const conds: Rec[] = [];
  conds.push(condition('PodReadyToStartContainers', sandboxReady, nowIso));
  if (phase === 'Succeeded') {
    conds.push(condition('Initialized', true, nowIso, 'PodCompleted'));
    conds.push(condition('Ready', false, nowIso, 'PodCompleted'));
    conds.push(condition('ContainersReady', false, nowIso, 'PodCompleted'));
  } else {
    conds.push(incompleteInit.length === 0 ? condition('Initialized', true, nowIso)
      : condition('Initialized', false, nowIso, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`));
    const ready = unready.length === 0 && phase === 'Running';
    const msg = `containers with unready status: [${unready.join(' ')}]`;
    conds.push(ready ? condition('Ready', true, nowIso) : condition('Ready', false, nowIso, 'ContainersNotReady', unready.length ? msg : undefined));
    conds.push(ready ? condition('ContainersReady', true, nowIso) : condition('ContainersReady', false, nowIso, 'ContainersNotReady', unready.length ? msg : undefined));
  }
  const oldConds: Rec[] = Array.isArray(old.conditions) ? old.conditions : [];
  for (const c of conds) {
    const prev = oldConds.find((o) => o.type === c.type);
    if (prev && prev.status === c.status && prev.lastTransitionTime) c.lastTransitionTime = prev.lastTransitionTime;
  }
  const mine = new Set(conds.map((c) => c.type));
  const kept = oldConds.filter((o) => !mine.has(o.type));
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  const conditions = [...kept, ...conds].sort((a, b) => rank(order, a.type) - rank(order, b.type));

  const status: Rec = {
    ...old,
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: old.startTime ?? nowIso,
    containerStatuses: statuses,
  };
  if (initStatuses.length) status.initContainerStatuses = initStatuses; else delete status.initContainerStatuses;
  if (podIP) { status.podIP = podIP; status.podIPs = [{ ip: podIP }]; }
  delete status.message;
  delete status.reason;
  return status;
}

function rank(order: string[], type: string): number {
  const i = order.indexOf(type);
  return i < 0 ? order.length : i;
}
