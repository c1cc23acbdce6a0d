// Pod workers: one serialized sync per pod uid (a WorkQueue keyed by uid never hands one uid to
// two workers), fed by the pod watch, the PLEG, probe results and back-off timers.
//
// Inputs: an update from the watch that only echoes the status this kubelet wrote queues no sync
// (see upsert). A pod's first live sync (step 4 below) first waits for a start-gate permit
// (--max-parallel-pod-starts, FIFO; see DEFAULT_MAX_PARALLEL_POD_STARTS). What the PLEG sees of a
// pod while its sync runs is held back and weighed against the sync's own last listing when it
// ends (Pleg.syncFinished), so a sync is not repeated for the changes it made itself.
//
// sync(uid), in order:
//   1. pod gone from the API (deleted, or an orphan found in the runtime) → tear down: stop
//      containers (the pod's grace period; 0 for unknown orphans), stop and remove sandboxes
//      and containers, remove the pod directory, forget every per-pod state;
//   2. deletionTimestamp set → terminate gracefully: Killing events, the preStop hook (exec or
//      httpGet, bounded by the grace period), stopContainer with what is left of the deletion
//      grace period (at least 2 s; SIGTERM, SIGKILL after it), stop the sandbox, write the final
//      status, then DELETE the pod with gracePeriodSeconds=0 and a uid precondition (what
//      makes `kubectl delete pod` return), then remove runtime objects and the pod directory;
//   3. terminal pod (Succeeded/Failed, reported before or computed now) → make sure nothing
//      runs and the sandbox is stopped; containers are kept for logs; never restarted;
//   4. otherwise drive the pod towards its spec: sandbox (recreated when not ready: attempt+1,
//      SandboxChanged), volumes, /etc/hosts + /etc/resolv.conf, init containers one at a time
//      in order to completion, then every app container; restarts per restartPolicy with
//      CrashBackoff (CrashLoopBackOff), liveness/startup failures kill the container first;
//   5. compute the status (pod-status.ts) and write it if it changed; requeue after the
//      earliest pending back-off and after `resyncMs`.
// Failures never escape as crashes: a pod-level problem becomes a waiting reason and a Warning
// Event; a runtime outage throws, and runWorkers retries the uid with backoff.
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  isStatusError, objectReference, realClock, Resources, runWorkers, Semaphore, WorkQueue,
  type Clock, type KubeObject,
} from '@k8ts/shared';
import type { KubeletContext } from '../context.js';
import { ProbeManager, type ProbeKind } from '../probes/probe-manager.js';
import { runProbe } from '../probes/prober.js';
import { hasImageConfig } from '../runtime/image-config.js';
import {
  ANNOTATION_RESTART_COUNT, ANNOTATION_TERMINATION_GRACE, LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE,
  LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID,
} from '../runtime/labels.js';
import {
  normalizeImageRef, RuntimeError, RuntimeUnavailableError,
  type ContainerConfig, type ContainerStatus, type ImageInfo, type Mount, type PodSandboxConfig, type PodSandboxStatus,
} from '../runtime/types.js';
import { resolveCommand } from './command.js';
import { CrashBackoff, DEFAULT_CRASH_BACKOFF, type CrashBackoffOptions } from './crash-backoff.js';
import { podDnsConfig, podHostname, readHostResolvConf, renderEtcHosts, renderResolvConf } from './dns.js';
import { ContainerConfigError, makeEnvironment, type ConfigSource, type EnvContext } from './env.js';
import { envLookup } from './expansion.js';
import { Pleg } from './pleg.js';
import { attemptsOf, computePodStatus, type Waiting } from './pod-status.js';
import { bytes, cpuMillis } from './quantity.js';
import { StatusManager } from './status-manager.js';
import { containerMounts, ensureSubPaths, podDir, setUpVolumes, tearDownPodDir, VolumeError, type VolumePaths } from './volumes.js';

type Rec = Record<string, any>;

export interface PodWorkersOptions {
  ctx: KubeletContext;
  config: ConfigSource;
  /** Restart back-off; default 10 s doubling to 5 min, reset after 10 min of running. */
  crashBackoff?: Partial<CrashBackoffOptions>;
  /** Image pull back-off; default as crashBackoff. */
  pullBackoff?: Partial<CrashBackoffOptions>;
  /** Concurrent pod syncs; default 16. */
  workers?: number;
  /** Periodic re-sync of every live pod; default 30 s. */
  resyncMs?: number;
  /** Retry of configuration / volume / sandbox errors; default 10 s. */
  retryMs?: number;
  /** PLEG relist period; default 1 s. */
  plegPeriodMs?: number;
  /** Pods brought up (first sync: sandbox, volumes, container starts, first status) at once;
   *  default DEFAULT_MAX_PARALLEL_POD_STARTS. Later syncs (restarts, probes, deletion) are not
   *  limited. */
  maxParallelPodStarts?: number;
}

/**
 * Why a limit (bench:pods, docs/BENCHMARKS.md): starting a pod is CPU work in this kubelet,
 * containerd, the shim and runc. With every new pod started at once, a burst shares the CPU
 * evenly and every pod is Running only near the end of the burst; brought up a few at a time, in
 * the order they arrived, the first pods run early and the last no later than before.
 */
export const DEFAULT_MAX_PARALLEL_POD_STARTS = 4;

interface PodState {
  waiting: Map<string, Waiting>;
  pullFailedAt: Map<string, number>;
  terminalPhase?: 'Succeeded' | 'Failed';
  requeueMs?: number;
  /** the first live sync completed (later ones skip the start gate) */
  broughtUp?: boolean;
  /** the pod's sandboxes and containers as this sync listed them last (for Pleg.syncFinished) */
  listing?: { sandboxes: PodSandboxStatus[]; containers: ContainerStatus[] };
}

const DONE_PHASES = new Set(['Succeeded', 'Failed']);

/** Same spec and metadata (resourceVersion and managedFields aside): a status-only update. */
function sameButStatus(a: KubeObject, b: KubeObject): boolean {
  const meta = (m: Rec) => { const { resourceVersion: _rv, managedFields: _mf, ...rest } = m; return rest; };
  return JSON.stringify(a.spec) === JSON.stringify(b.spec) && JSON.stringify(meta(a.metadata)) === JSON.stringify(meta(b.metadata));
}

export class PodWorkers {
  readonly queue: WorkQueue<string>;
  readonly probes: ProbeManager;
  readonly status: StatusManager;
  readonly pleg: Pleg;
  private readonly pods = new Map<string, KubeObject>();
  private readonly lastKnown = new Map<string, KubeObject>();
  private readonly states = new Map<string, PodState>();
  private readonly podIPs = new Map<string, string>();
  /** uids whose sync runs now (waiting at the start gate included) */
  private readonly syncing = new Set<string>();
  private readonly crash: CrashBackoff;
  private readonly pull: CrashBackoff;
  private readonly startGate: Semaphore;
  private readonly clock: Clock;
  private running: Promise<void> | undefined;
  /** Called after each relist with its outcome (the node status uses it). */
  onRuntimeHealth?: (ok: boolean, err?: unknown) => void;

  constructor(private readonly opts: PodWorkersOptions) {
    const { ctx } = opts;
    this.clock = ctx.clock ?? realClock;
    this.queue = new WorkQueue<string>({ name: 'pod-workers', clock: this.clock });
    this.crash = new CrashBackoff({ ...DEFAULT_CRASH_BACKOFF, ...opts.crashBackoff, clock: this.clock });
    this.pull = new CrashBackoff({ ...DEFAULT_CRASH_BACKOFF, ...opts.pullBackoff, clock: this.clock });
    this.status = new StatusManager(ctx.client, ctx.logger);
    this.startGate = new Semaphore(opts.maxParallelPodStarts ?? DEFAULT_MAX_PARALLEL_POD_STARTS);
    this.probes = new ProbeManager({
      runtime: ctx.runtime, clock: this.clock,
      onChange: (uid) => this.queue.add(uid),
      onUnhealthy: (uid, name, kind, output) => {
        const pod = this.pods.get(uid);
        if (pod) this.event(pod, name, 'Warning', 'Unhealthy', `${kind} probe failed: ${output}`);
      },
    });
    this.pleg = new Pleg({
      runtime: ctx.runtime, periodMs: opts.plegPeriodMs ?? 1000, clock: this.clock,
      onChange: (uid) => this.queue.add(uid),
      onError: (err) => { ctx.logger.warn({ err }, 'PLEG relist failed'); this.onRuntimeHealth?.(false, err); },
      onRelist: (ok) => { if (ok) this.onRuntimeHealth?.(true); },
      inSync: (uid) => this.syncing.has(uid),
    });
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /** A pod from the watch. An update that only carries the status this kubelet wrote (the echo
   *  of its own status write) does not queue a sync, as upstream's pod config source treats
   *  status-only updates; any other change, or a status someone else wrote, does. */
  upsert(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    const prev = this.pods.get(uid);
    this.pods.set(uid, pod);
    this.lastKnown.set(uid, pod);
    if (prev && this.status.isLastWritten(pod) && sameButStatus(prev, pod)) return;
    this.queue.add(uid);
  }

  remove(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (!uid) return;
    this.pods.delete(uid);
    this.lastKnown.set(uid, pod);
    this.queue.add(uid);
  }

  /** New pods are being brought up or wait at the start gate (the kubelet's events wait
   *  meanwhile: EventRecorder deferWhile). */
  startingPods(): boolean {
    return this.startGate.inUse > 0 || this.startGate.waiting > 0;
  }

  /** Pods this kubelet currently runs (bound to the node, not yet deleted from the API). */
  knownPods(): KubeObject[] { return [...this.pods.values()]; }

  start(): void {
    this.pleg.start();
    this.running = runWorkers(this.queue, this.opts.workers ?? 16, (uid) => this.syncTracked(uid), this.opts.ctx.logger);
  }

  /** Stops syncing (containers keep running; a restarted kubelet adopts them). */
  async stop(): Promise<void> {
    this.pleg.stop();
    this.queue.shutDown();
    this.probes.stopAll();
    // an in-flight sync may be waiting out a grace period: do not hold shutdown for it
    await Promise.race([this.running, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  // ---- the sync ---------------------------------------------------------------------------------

  /** sync() as the workers run it: the PLEG holds back what it sees of the pod meanwhile. */
  private async syncTracked(uid: string): Promise<void> {
    this.syncing.add(uid);
    let listing: PodState['listing'];
    try {
      await this.sync(uid);
    } finally {
      this.syncing.delete(uid);
      const st = this.states.get(uid);
      if (st) { listing = st.listing; st.listing = undefined; }
      this.pleg.syncFinished(uid, listing);
    }
  }

  async sync(uid: string, gated?: () => void): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod) { gated?.(); return this.teardown(uid); }
    if (pod.metadata.deletionTimestamp) { gated?.(); return this.terminate(pod); }
    const st = this.stateFor(uid);
    st.requeueMs = undefined;
    if (st.terminalPhase || DONE_PHASES.has(pod.status?.phase)) { gated?.(); return this.syncTerminal(pod, st); }
    // A pod's first live sync waits its turn at the start gate (see DEFAULT_MAX_PARALLEL_POD_STARTS),
    // then starts over with the pod as it is now (it may have been deleted meanwhile).
    if (!st.broughtUp && !gated) return this.sync(uid, await this.startGate.acquire());
    const release = gated;
    try {
      await this.syncLive(pod, st);
      st.broughtUp = true;
    } finally {
      release?.();
      if (!st.terminalPhase && this.pods.has(uid)) {
        const resync = this.opts.resyncMs ?? 30_000;
        this.queue.addAfter(uid, Math.min(resync, st.requeueMs ?? resync));
      }
    }
  }

  private stateFor(uid: string): PodState {
    let st = this.states.get(uid);
    if (!st) this.states.set(uid, (st = { waiting: new Map(), pullFailedAt: new Map() }));
    return st;
  }

  private requeue(st: PodState, ms: number): void {
    st.requeueMs = Math.max(1, Math.min(st.requeueMs ?? Infinity, ms));
  }

  private async syncLive(pod: KubeObject, st: PodState): Promise<void> {
    const { ctx } = this.opts;
    const uid = pod.metadata.uid!;
    const spec: Rec = pod.spec ?? {};
    const retryMs = this.opts.retryMs ?? 10_000;

    const sandbox = await this.ensureSandbox(pod, st);
    if (!sandbox) { await this.writeStatus(pod, st, undefined, []); return; }
    const sbConfig = this.sandboxConfig(pod, sandbox.attempt);
    if (sandbox.ip) this.podIPs.set(uid, sandbox.ip);
    const envCtx = this.envContext(pod, sandbox);

    let volumes: VolumePaths;
    try {
      volumes = await setUpVolumes(ctx.rootDir, pod, this.opts.config, envCtx);
      await this.writeDnsFiles(pod, sandbox);
    } catch (e) {
      if (!(e instanceof VolumeError)) throw e;
      this.event(pod, undefined, 'Warning', 'FailedMount', e.message);
      this.requeue(st, retryMs);
      await this.writeStatus(pod, st, sandbox, await ctx.runtime.listContainers({ sandboxId: sandbox.id }));
      return;
    }

    let containers = await ctx.runtime.listContainers({ sandboxId: sandbox.id });
    const policy: string = spec.restartPolicy ?? 'Always';
    // anything started, restarted or killed below: the containers are listed again for the status
    let acted = false;
    const start = (c: Rec, attempt: number, kind: 'init' | 'app'): Promise<void> => {
      acted = true;
      return this.startContainer(pod, st, sandbox, sbConfig, c, attempt, kind, volumes, envCtx);
    };
    const startExisting = (c: ContainerStatus, kind: 'init' | 'app'): Promise<void> => {
      acted = true;
      return this.startExisting(pod, c, kind);
    };
    const killIfProbeFailed = async (c: Rec, latest: ContainerStatus, kind: 'init' | 'app'): Promise<ContainerStatus> => {
      const after = await this.killIfProbeFailed(pod, c, latest, kind);
      if (after) acted = true;
      return after ?? latest;
    };
    const restart = (c: Rec, latest: ContainerStatus, kind: 'init' | 'app'): Promise<void> => {
      acted = true;
      return this.restart(pod, st, c, latest, (attempt) => start(c, attempt, kind));
    };

    // init containers: one at a time, in order, each to successful completion
    let initDone = true;
    for (const c of (spec.initContainers ?? []) as Rec[]) {
      let latest = attemptsOf(containers, c.name)[0];
      if (latest?.state === 'exited' && (latest.exitCode ?? 0) === 0) continue;
      initDone = false;
      if (!latest) { await start(c, 0, 'init'); break; }
      if (latest.state === 'created') { await startExisting(latest, 'init'); break; }
      if (latest.state === 'running') {
        latest = await killIfProbeFailed(c, latest, 'init');
        if (latest.state === 'running') break;
      }
      if (policy === 'Never') break; // computePhase reports Failed
      await restart(c, latest, 'init');
      break;
    }

    if (initDone) {
      for (const c of (spec.containers ?? []) as Rec[]) {
        let latest = attemptsOf(containers, c.name)[0];
        if (!latest) { await start(c, 0, 'app'); continue; }
        if (latest.state === 'created') { await startExisting(latest, 'app'); continue; }
        if (latest.state === 'running' && normalizeImageRef(latest.image) !== normalizeImageRef(c.image)) {
          // the pod's image changed (the only mutable container field): restart with the new one
          this.event(pod, c.name, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
          this.probes.stopContainer(latest.id);
          await ctx.runtime.stopContainer(latest.id, graceOf(pod, c));
          await start(c, latest.attempt + 1, 'app');
          continue;
        }
        if (latest.state === 'running') {
          latest = await killIfProbeFailed(c, latest, 'app');
          if (latest.state === 'running') { st.waiting.delete(c.name); continue; }
        }
        if (latest.state !== 'exited') continue;
        const exitCode = latest.exitCode ?? 0;
        const restarts = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
        if (!restarts) { st.waiting.delete(c.name); continue; }
        await restart(c, latest, 'app');
      }
    }

    if (acted) containers = await ctx.runtime.listContainers({ sandboxId: sandbox.id });
    // What this sync did and saw need not come back from the PLEG as a change (Pleg.syncFinished):
    // only when the pod has this one sandbox (whose containers are then all of the pod's) and every
    // container runs. A container that already exited must still bring the sync that restarts or
    // reports it; any later exit changes the fingerprint and is reported.
    if (containers.length && containers.every((c) => c.state === 'running')) {
      const sandboxes = await this.sandboxesOf(uid);
      if (sandboxes.length === 1 && sandboxes[0]!.id === sandbox.id) st.listing = { sandboxes, containers };
    }
    this.ensureProbes(pod, containers);
    const phase = await this.writeStatus(pod, st, sandbox, containers);
    if (phase === 'Succeeded' || phase === 'Failed') {
      st.terminalPhase = phase;
      ctx.logger.info({ pod: podKey(pod), phase }, 'pod finished; stopping its sandbox');
      await this.stopEverything(pod, 0, false);
    }
  }

  private async syncTerminal(pod: KubeObject, st: PodState): Promise<void> {
    const { runtime } = this.opts.ctx;
    const sandboxes = await this.sandboxesOf(pod.metadata.uid!);
    const current = newest(sandboxes);
    if (sandboxes.some((s) => s.state === 'ready') || (await this.containersOf(pod.metadata.uid!)).some((c) => c.state === 'running')) {
      await this.stopEverything(pod, 0, false);
    }
    const containers = current ? await runtime.listContainers({ sandboxId: current.id }) : [];
    await this.writeStatus(pod, st, current ? { ...current, state: 'notready' } : undefined, containers);
  }

  private async writeStatus(pod: KubeObject, st: PodState, sandbox: PodSandboxStatus | undefined, containers: ContainerStatus[], terminating = false, phase?: 'Succeeded' | 'Failed'): Promise<string> {
    const status = computePodStatus({
      pod, now: this.clock.now(), hostIP: this.opts.ctx.nodeIP, sandbox, containers, waiting: st.waiting,
      probe: (id) => this.probes.state(id), terminalPhase: phase ?? st.terminalPhase, terminating,
    });
    await this.status.set(pod, status);
    return status.phase;
  }

  // ---- sandbox ----------------------------------------------------------------------------------

  private async sandboxesOf(uid: string): Promise<PodSandboxStatus[]> {
    return (await this.opts.ctx.runtime.listPodSandboxes({ uid })).filter((s) => (s.labels[LABEL_POD_UID] ?? s.uid) === uid);
  }

  private async containersOf(uid: string): Promise<ContainerStatus[]> {
    return (await this.opts.ctx.runtime.listContainers()).filter((c) => c.labels[LABEL_POD_UID] === uid);
  }

  private async ensureSandbox(pod: KubeObject, st: PodState): Promise<PodSandboxStatus | undefined> {
    const { runtime } = this.opts.ctx;
    const uid = pod.metadata.uid!;
    const all = await this.sandboxesOf(uid);
    const ready = all.filter((s) => s.state === 'ready').sort((a, b) => b.attempt - a.attempt);
    if (ready[0]) {
      for (const dup of ready.slice(1)) { // never two live sandboxes for one pod
        await runtime.stopPodSandbox(dup.id);
        await runtime.removePodSandbox(dup.id);
      }
      return ready[0];
    }
    const attempt = all.length ? Math.max(...all.map((s) => s.attempt)) + 1 : 0;
    if (all.length) {
      this.event(pod, undefined, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      for (const s of all) await runtime.stopPodSandbox(s.id);
    }
    try {
      const sb = await runtime.runPodSandbox(this.sandboxConfig(pod, attempt));
      for (const s of all) await runtime.removePodSandbox(s.id);
      return sb;
    } catch (e) {
      if (e instanceof RuntimeUnavailableError) throw e;
      this.event(pod, undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
      this.requeue(st, this.opts.retryMs ?? 10_000);
      return undefined;
    }
  }

  private sandboxConfig(pod: KubeObject, attempt: number): PodSandboxConfig {
    const spec: Rec = pod.spec ?? {};
    const uid = pod.metadata.uid!;
    const portMappings: PodSandboxConfig['portMappings'] = [];
    for (const c of (spec.containers ?? []) as Rec[]) {
      for (const p of (c.ports ?? []) as Rec[]) {
        if (p.hostPort) portMappings.push({ protocol: p.protocol ?? 'TCP', containerPort: p.containerPort, hostPort: p.hostPort, ...(p.hostIP ? { hostIP: p.hostIP } : {}) });
      }
    }
    return {
      uid, name: pod.metadata.name!, namespace: pod.metadata.namespace ?? 'default', attempt,
      hostname: podHostname(pod),
      dnsConfig: podDnsConfig(pod, this.opts.ctx.dns),
      hostNetwork: spec.hostNetwork === true,
      portMappings,
      labels: { [LABEL_POD_UID]: uid, [LABEL_POD_NAME]: pod.metadata.name!, [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default', ...(pod.metadata.labels ?? {}) },
      annotations: { ...(pod.metadata.annotations ?? {}) },
      logDirectory: join(podDir(this.opts.ctx.rootDir, uid), 'logs'),
    };
  }

  private envContext(pod: KubeObject, sandbox: PodSandboxStatus): EnvContext {
    const { ctx } = this.opts;
    const podIP = pod.spec?.hostNetwork === true ? ctx.nodeIP : sandbox.ip;
    return { pod, podIP, podIPs: podIP ? [podIP] : [], hostIP: ctx.nodeIP, nodeAllocatable: ctx.nodeAllocatable };
  }

  /** Writes `<pod dir>/etc-hosts` and `<pod dir>/resolv.conf` (only when their content changed). */
  private async writeDnsFiles(pod: KubeObject, sandbox: PodSandboxStatus): Promise<void> {
    const dir = podDir(this.opts.ctx.rootDir, pod.metadata.uid!);
    mkdirSync(dir, { recursive: true });
    const dns = podDnsConfig(pod, this.opts.ctx.dns) ?? readHostResolvConf();
    const hostNetwork = pod.spec?.hostNetwork === true;
    writeIfChanged(join(dir, 'resolv.conf'), renderResolvConf(dns));
    if (!hostNetwork) writeIfChanged(join(dir, 'etc-hosts'), renderEtcHosts(pod, sandbox.ip, this.opts.ctx.dns.clusterDomain));
  }

  private dnsMounts(pod: KubeObject, container: Rec): Mount[] {
    const dir = podDir(this.opts.ctx.rootDir, pod.metadata.uid!);
    const taken = new Set(((container.volumeMounts ?? []) as Rec[]).map((m) => m.mountPath));
    const out: Mount[] = [];
    if (!taken.has('/etc/resolv.conf')) out.push({ hostPath: join(dir, 'resolv.conf'), containerPath: '/etc/resolv.conf', readOnly: false });
    if (!taken.has('/etc/hosts')) {
      out.push(pod.spec?.hostNetwork === true
        ? { hostPath: '/etc/hosts', containerPath: '/etc/hosts', readOnly: true }
        : { hostPath: join(dir, 'etc-hosts'), containerPath: '/etc/hosts', readOnly: false });
    }
    return out;
  }

  // ---- containers -------------------------------------------------------------------------------

  private async restart(pod: KubeObject, st: PodState, c: Rec, latest: ContainerStatus, start: (attempt: number) => Promise<void>): Promise<void> {
    const uid = pod.metadata.uid!;
    const key = `${uid}/${c.name}`;
    const finishedAt = latest.finishedAt ?? this.clock.now();
    if (latest.startedAt !== undefined && finishedAt - latest.startedAt >= this.crash.resetAfterMs) this.crash.reset(key);
    if (this.crash.inBackoff(key, finishedAt)) {
      const delay = this.crash.delay(key);
      st.waiting.set(c.name, {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${uid})`,
      });
      this.event(pod, c.name, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${uid})`);
      this.requeue(st, this.crash.remaining(key, finishedAt) + 1);
      return;
    }
    this.crash.next(key);
    await start(latest.attempt + 1);
  }

  private async killIfProbeFailed(pod: KubeObject, c: Rec, latest: ContainerStatus, _kind: 'init' | 'app'): Promise<ContainerStatus | undefined> {
    const ps = this.probes.state(latest.id);
    if (!ps || !(ps.livenessFailed || ps.startupFailed)) return undefined;
    const which: ProbeKind = ps.startupFailed ? 'Startup' : 'Liveness';
    this.event(pod, c.name, 'Normal', 'Killing', `Container ${c.name} failed ${which.toLowerCase()} probe, will be restarted`);
    this.probes.stopContainer(latest.id);
    await this.opts.ctx.runtime.stopContainer(latest.id, graceOf(pod, c));
    return (await this.opts.ctx.runtime.containerStatus(latest.id)) ?? { ...latest, state: 'exited', exitCode: 137, finishedAt: this.clock.now() };
  }

  private async startExisting(pod: KubeObject, c: ContainerStatus, _kind: 'init' | 'app'): Promise<void> {
    try {
      await this.opts.ctx.runtime.startContainer(c.id);
      this.event(pod, c.name, 'Normal', 'Started', `Started container ${c.name}`);
    } catch (e) {
      if (e instanceof RuntimeUnavailableError) throw e;
      this.event(pod, c.name, 'Warning', 'Failed', `Error: ${(e as Error).message}`);
    }
  }

  private async startContainer(
    pod: KubeObject, st: PodState, sandbox: PodSandboxStatus, sbConfig: PodSandboxConfig, c: Rec, attempt: number,
    kind: 'init' | 'app', volumes: VolumePaths, envCtx: EnvContext,
  ): Promise<void> {
    const { ctx } = this.opts;
    const rt = ctx.runtime;
    const uid = pod.metadata.uid!;
    const retryMs = this.opts.retryMs ?? 10_000;
    const image = await this.ensureImage(pod, st, c);
    if (!image) return;

    let env: { name: string; value: string }[];
    let mounts: Mount[];
    try {
      const r = await makeEnvironment(c, envCtx, this.opts.config);
      env = r.env;
      if (r.invalidNames.length) {
        this.event(pod, c.name, 'Warning', 'InvalidEnvironmentVariableNames', `Keys [${r.invalidNames.join(', ')}] from the EnvFrom were skipped since they are considered invalid environment variable names.`);
      }
      mounts = [...containerMounts(c, volumes), ...this.dnsMounts(pod, c)];
      await ensureSubPaths(mounts.filter((m) => m.hostPath.startsWith(podDir(ctx.rootDir, uid))));
    } catch (e) {
      if (!(e instanceof ContainerConfigError) && !(e instanceof VolumeError)) throw e;
      st.waiting.set(c.name, { reason: 'CreateContainerConfigError', message: (e as Error).message });
      this.event(pod, c.name, 'Warning', 'Failed', `Error: ${(e as Error).message}`);
      this.requeue(st, retryMs);
      return;
    }
    const imageRef = image.repoTags[0] ?? normalizeImageRef(c.image);
    const imageConfig = hasImageConfig(rt) ? await rt.imageConfig(imageRef).catch(() => undefined) : undefined;
    const { command, args } = resolveCommand(c, imageConfig, envLookup(env));
    const limitsSpec: Rec = c.resources?.limits ?? {};
    const cpu = limitsSpec.cpu !== undefined ? cpuMillis(limitsSpec.cpu) : undefined;
    const mem = limitsSpec.memory !== undefined ? bytes(limitsSpec.memory) : undefined;
    const config: ContainerConfig = {
      name: c.name, attempt, image: imageRef, command, args, env,
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      mounts, logPath: `${c.name}/${attempt}.log`, tty: c.tty === true, stdin: c.stdin === true,
      ...(cpu !== undefined || mem !== undefined ? { limits: { ...(cpu !== undefined ? { cpuMillis: cpu } : {}), ...(mem !== undefined ? { memoryBytes: mem } : {}) } } : {}),
      labels: {
        [LABEL_POD_UID]: uid, [LABEL_POD_NAME]: pod.metadata.name!, [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
        [LABEL_CONTAINER_NAME]: c.name, [LABEL_CONTAINER_TYPE]: kind,
      },
      annotations: { [ANNOTATION_RESTART_COUNT]: String(attempt), [ANNOTATION_TERMINATION_GRACE]: String(graceOf(pod, c)) },
    };
    let id: string;
    try {
      id = await rt.createContainer(sandbox.id, config, sbConfig);
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      st.waiting.set(c.name, { reason: e.reason || 'CreateContainerError', message: e.message });
      this.event(pod, c.name, 'Warning', 'Failed', `Error: ${e.message}`);
      this.requeue(st, retryMs);
      return;
    }
    st.waiting.delete(c.name);
    this.event(pod, c.name, 'Normal', 'Created', `Created container ${c.name}`);
    try {
      await rt.startContainer(id);
      this.event(pod, c.name, 'Normal', 'Started', `Started container ${c.name}`);
    } catch (e) {
      if (!(e instanceof RuntimeError)) throw e;
      this.event(pod, c.name, 'Warning', 'Failed', `Error: ${e.message}`);
    }
    // keep the newest and the one before it (lastState); older attempts are garbage
    if (attempt < 2) return;
    for (const old of attemptsOf(await rt.listContainers({ sandboxId: sandbox.id }), c.name)) {
      if (old.attempt < attempt - 1 && old.state !== 'running') await rt.removeContainer(old.id);
    }
  }

  /** Image presence per imagePullPolicy; undefined (with a waiting reason set) when not usable. */
  private async ensureImage(pod: KubeObject, st: PodState, c: Rec): Promise<ImageInfo | undefined> {
    const rt = this.opts.ctx.runtime;
    const image: string = c.image;
    const policy: string = c.imagePullPolicy ?? (/:[^/]+$|@/.test(image) && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always');
    const present = await rt.imageStatus(image);
    if (policy === 'Never') {
      if (present) return present;
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      st.waiting.set(c.name, { reason: 'ErrImageNeverPull', message: msg });
      this.event(pod, c.name, 'Warning', 'ErrImageNeverPull', msg);
      this.event(pod, c.name, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      this.requeue(st, this.opts.retryMs ?? 10_000);
      return undefined;
    }
    // No registry is reachable in k8ts: for Always, a local image stands in for a pull.
    if (present) {
      this.event(pod, c.name, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return present;
    }
    const key = `${pod.metadata.uid}/image/${image}`;
    const failedAt = st.pullFailedAt.get(image);
    if (failedAt !== undefined && this.pull.inBackoff(key, failedAt)) {
      st.waiting.set(c.name, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
      this.event(pod, c.name, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      this.event(pod, c.name, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      this.requeue(st, this.pull.remaining(key, failedAt) + 1);
      return undefined;
    }
    this.event(pod, c.name, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const t0 = this.clock.now();
    try {
      const info = await rt.pullImage(image);
      st.pullFailedAt.delete(image);
      this.pull.reset(key);
      const secs = ((this.clock.now() - t0) / 1000).toFixed(3);
      this.event(pod, c.name, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s. Image size: ${info.sizeBytes} bytes.`);
      return info;
    } catch (e) {
      if (e instanceof RuntimeUnavailableError) throw e;
      st.pullFailedAt.set(image, this.clock.now());
      const delay = this.pull.next(key);
      st.waiting.set(c.name, { reason: 'ErrImagePull', message: (e as Error).message });
      this.event(pod, c.name, 'Warning', 'Failed', `Failed to pull image "${image}": ${(e as Error).message}`);
      this.event(pod, c.name, 'Warning', 'Failed', 'Error: ErrImagePull');
      // the next sync, a second later, reports ImagePullBackOff until the back-off is over
      this.requeue(st, Math.min(delay + 1, 1000));
      return undefined;
    }
  }

  private ensureProbes(pod: KubeObject, containers: ContainerStatus[]): void {
    const uid = pod.metadata.uid!;
    const specs = new Map<string, Rec>();
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Rec[]) specs.set(c.name, c);
    const keep = new Set<string>();
    for (const cs of containers) {
      if (cs.state !== 'running') continue;
      const spec = specs.get(cs.name);
      if (!spec || cs.labels[LABEL_CONTAINER_TYPE] === 'init') continue; // init containers are not probed
      keep.add(cs.id);
      const ip = pod.spec?.hostNetwork === true ? this.opts.ctx.nodeIP : undefined;
      this.probes.ensure(uid, cs.id, spec, cs.startedAt ?? cs.createdAt, () => ip ?? this.podIPOf(uid));
    }
    this.probes.retain(uid, keep);
  }

  private podIPOf(uid: string): string | undefined {
    return this.podIPs.get(uid) ?? this.pods.get(uid)?.status?.podIP;
  }

  // ---- termination ------------------------------------------------------------------------------

  /** Stops every container (grace seconds) and every sandbox of the pod; keeps the records. */
  private async stopEverything(pod: KubeObject, graceSeconds: number, announce: boolean): Promise<void> {
    const { runtime } = this.opts.ctx;
    const uid = pod.metadata.uid!;
    this.probes.retain(uid, new Set());
    const running = (await this.containersOf(uid)).filter((c) => c.state === 'running' || c.state === 'created');
    await Promise.all(running.map(async (c) => {
      if (announce) this.event(pod, c.name, 'Normal', 'Killing', `Stopping container ${c.name}`);
      let grace = graceSeconds;
      const spec = ((pod.spec?.containers ?? []) as Rec[]).find((x) => x.name === c.name);
      const preStop: Rec | undefined = spec?.lifecycle?.preStop;
      if (announce && preStop && c.state === 'running' && grace > 0) {
        const t0 = this.clock.now();
        const r = await runProbe({ ...preStop, timeoutSeconds: grace }, { runtime, containerId: c.id, container: spec!, podIP: this.podIPOf(uid) });
        if (!r.ok) this.event(pod, c.name, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.output}`);
        // upstream: what is left of the grace period, but at least 2 s
        grace = Math.max(2, Math.ceil(grace - (this.clock.now() - t0) / 1000));
      }
      await runtime.stopContainer(c.id, grace);
    }));
    for (const s of await this.sandboxesOf(uid)) if (s.state === 'ready') await runtime.stopPodSandbox(s.id);
  }

  private async terminate(pod: KubeObject): Promise<void> {
    const { ctx } = this.opts;
    const uid = pod.metadata.uid!;
    const st = this.stateFor(uid);
    const grace = typeof pod.metadata.deletionGracePeriodSeconds === 'number'
      ? pod.metadata.deletionGracePeriodSeconds : (pod.spec?.terminationGracePeriodSeconds ?? 30);
    await this.stopEverything(pod, grace, true);
    const current = newest(await this.sandboxesOf(uid));
    const containers = current ? await ctx.runtime.listContainers({ sandboxId: current.id }) : [];
    st.waiting.clear();
    let phase: 'Succeeded' | 'Failed' = 'Failed';
    const apps = ((pod.spec?.containers ?? []) as Rec[]).map((c) => attemptsOf(containers, c.name)[0]);
    if (apps.length && apps.every((c) => c && c.state === 'exited' && (c.exitCode ?? 0) === 0)) phase = 'Succeeded';
    if (DONE_PHASES.has(pod.status?.phase)) phase = pod.status.phase;
    await this.writeStatus(pod, st, current ? { ...current, state: 'notready' } : undefined, containers, true, phase);
    try {
      await ctx.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, {
        kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid },
      });
      ctx.logger.info({ pod: podKey(pod) }, 'pod terminated and deleted');
    } catch (e) {
      if (!(isStatusError(e) && (e.status.code === 404 || e.status.code === 409))) throw e;
    }
    await this.removeRuntimeObjects(uid);
    await this.forget(uid);
  }

  /** The pod is gone from the API (or was never known): stop and remove everything it had. */
  private async teardown(uid: string): Promise<void> {
    const pod = this.lastKnown.get(uid);
    const sandboxes = await this.sandboxesOf(uid);
    const containers = await this.containersOf(uid);
    if (sandboxes.length || containers.length) {
      const grace = pod ? (typeof pod.metadata.deletionGracePeriodSeconds === 'number'
        ? pod.metadata.deletionGracePeriodSeconds : (pod.spec?.terminationGracePeriodSeconds ?? 30)) : 0;
      this.opts.ctx.logger.info({ uid, pod: pod ? podKey(pod) : undefined, grace }, pod ? 'pod deleted from the API; tearing down' : 'removing orphaned runtime objects');
      await this.stopEverything(pod ?? { metadata: { uid } }, grace, !!pod);
      await this.removeRuntimeObjects(uid);
    }
    await this.forget(uid);
  }

  private async removeRuntimeObjects(uid: string): Promise<void> {
    const { runtime } = this.opts.ctx;
    for (const c of await this.containersOf(uid)) await runtime.removeContainer(c.id);
    for (const s of await this.sandboxesOf(uid)) { await runtime.stopPodSandbox(s.id); await runtime.removePodSandbox(s.id); }
  }

  private async forget(uid: string): Promise<void> {
    this.probes.retain(uid, new Set());
    this.states.delete(uid);
    this.podIPs.delete(uid);
    this.status.forget(uid);
    this.crash.resetPrefix(`${uid}/`);
    this.pull.resetPrefix(`${uid}/`);
    if (!this.pods.has(uid)) {
      this.lastKnown.delete(uid);
      await tearDownPodDir(this.opts.ctx.rootDir, uid);
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  private event(pod: KubeObject, container: string | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void {
    let fieldPath: string | undefined;
    if (container) {
      const isInit = ((pod.spec?.initContainers ?? []) as Rec[]).some((c) => c.name === container);
      fieldPath = `${isInit ? 'spec.initContainers' : 'spec.containers'}{${container}}`;
    }
    if (!pod.metadata.name) return;
    this.opts.ctx.recorder.record(objectReference(pod, 'Pod', 'v1', fieldPath), type, reason, message);
  }
}

function graceOf(pod: KubeObject, _c: Rec): number {
  const g = pod.spec?.terminationGracePeriodSeconds;
  return typeof g === 'number' ? g : 30;
}

function newest(sandboxes: PodSandboxStatus[]): PodSandboxStatus | undefined {
  return [...sandboxes].sort((a, b) => b.attempt - a.attempt)[0];
}

function podKey(pod: KubeObject): string { return `${pod.metadata.namespace}/${pod.metadata.name}`; }

/** Synchronous: a small file in the pod's directory, written at every sync (fs/promises cost
 *  several times the syscalls: kubelet CPU profile during bench:pods). */
function writeIfChanged(path: string, content: string): void {
  try { if (readFileSync(path, 'utf8') === content) return; } catch { /* absent */ }
  writeFileSync(path, content, { mode: 0o644 });
}

/** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${ms}ms` : `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${s % 60}s`;
}
