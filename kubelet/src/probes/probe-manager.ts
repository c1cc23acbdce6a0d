// Probe workers, one set per running container (keyed by runtime container id), with
// upstream's semantics:
//   - startupProbe runs first; until it succeeds the container is not `started` and neither
//     liveness nor readiness run; failureThreshold consecutive failures → startupFailed
//     (the pod worker kills and restarts the container, like a liveness failure);
//   - readinessProbe: not ready until successThreshold consecutive successes, then ready until
//     failureThreshold consecutive failures; containers without one are ready once started;
//   - livenessProbe: failureThreshold consecutive failures → livenessFailed (sticky for that
//     container id; the worker stops);
//   - each probe waits initialDelaySeconds after the container started, then runs every
//     periodSeconds; each failed attempt produces an Unhealthy report.
// onChange(podUid) fires whenever a container's started/ready/failed state changes, so the pod
// worker re-syncs. Workers stop with stopContainer/retain, never outlive their container.
import { realClock, type Clock, type TimerHandle } from '@k8ts/shared';
import type { ContainerRuntime } from '../runtime/types.js';
import { runProbe, type ProbeResult } from './prober.js';

type Rec = Record<string, any>;
export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness';

export interface ContainerProbeState {
  started: boolean;
  ready: boolean;
  livenessFailed: boolean;
  startupFailed: boolean;
  /** Last failure message of the probe that failed the container. */
  failureMessage?: string;
}

export interface ProbeManagerOptions {
  runtime: ContainerRuntime;
  clock?: Clock;
  onChange(podUid: string): void;
  onUnhealthy(podUid: string, containerName: string, kind: ProbeKind, output: string): void;
  /** Lets tests or callers run probes differently (default: prober.runProbe). */
  run?: typeof runProbe;
}

interface Entry {
  podUid: string;
  containerName: string;
  state: ContainerProbeState;
  timers: Map<ProbeKind, TimerHandle>;
  stopped: boolean;
}

export class ProbeManager {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly run: typeof runProbe;

  constructor(private readonly opts: ProbeManagerOptions) {
    this.clock = opts.clock ?? realClock;
    this.run = opts.run ?? runProbe;
  }

  /** Starts probing a running container once (no-op when already probed). */
  ensure(podUid: string, containerId: string, container: Rec, startedAt: number, podIP: () => string | undefined): void {
    if (this.entries.has(containerId)) return;
    const hasStartup = !!container.startupProbe;
    const hasReadiness = !!container.readinessProbe;
    const e: Entry = {
      podUid, containerName: container.name, timers: new Map(), stopped: false,
      state: { started: !hasStartup, ready: !hasStartup && !hasReadiness, livenessFailed: false, startupFailed: false },
    };
    this.entries.set(containerId, e);
    const begin = (kind: ProbeKind, probe: Rec): void => {
      let successes = 0;
      let failures = 0;
      const period = Math.max(1, Number(probe.periodSeconds ?? 10)) * 1000;
      const successThreshold = Math.max(1, Number(probe.successThreshold ?? 1));
      const failureThreshold = Math.max(1, Number(probe.failureThreshold ?? 3));
      const tick = async (): Promise<void> => {
        if (e.stopped) return;
        let r: ProbeResult;
        try {
          r = await this.run(probe, { runtime: this.opts.runtime, containerId, container, podIP: podIP() });
        } catch (err) {
          r = { ok: false, output: (err as Error).message };
        }
        if (e.stopped) return;
        if (r.ok) { successes++; failures = 0; } else { failures++; successes = 0; }
        if (!r.ok) this.opts.onUnhealthy(podUid, e.containerName, kind, r.output);
        let again = true;
        const before = JSON.stringify(e.state);
        if (kind === 'Startup') {
          if (r.ok) { e.state.started = true; e.state.ready = !hasReadiness; again = false; this.afterStartup(containerId, container, begin); }
          else if (failures >= failureThreshold) { e.state.startupFailed = true; e.state.failureMessage = r.output; again = false; }
        } else if (kind === 'Liveness') {
          if (!r.ok && failures >= failureThreshold) { e.state.livenessFailed = true; e.state.failureMessage = r.output; again = false; }
        } else {
          if (r.ok && successes >= successThreshold) e.state.ready = true;
          if (!r.ok && failures >= failureThreshold) e.state.ready = false;
        }
        if (JSON.stringify(e.state) !== before) this.opts.onChange(podUid);
        if (again && !e.stopped) e.timers.set(kind, this.clock.setTimeout(() => void tick(), period));
      };
      const delay = Math.max(0, startedAt + Number(probe.initialDelaySeconds ?? 0) * 1000 - this.clock.now());
      e.timers.set(kind, this.clock.setTimeout(() => void tick(), delay));
    };
    if (hasStartup) begin('Startup', container.startupProbe);
    else this.afterStartup(containerId, container, begin);
  }

  private afterStartup(_id: string, container: Rec, begin: (k: ProbeKind, p: Rec) => void): void {
    if (container.livenessProbe) begin('Liveness', container.livenessProbe);
    if (container.readinessProbe) begin('Readiness', container.readinessProbe);
  }

  state(containerId: string): ContainerProbeState | undefined { return this.entries.get(containerId)?.state; }

  stopContainer(containerId: string): void {
    const e = this.entries.get(containerId);
    if (!e) return;
    e.stopped = true;
    for (const t of e.timers.values()) this.clock.clearTimeout(t);
    this.entries.delete(containerId);
  }

  /** Stops the pod's workers except for the given (still running) container ids. */
  retain(podUid: string, keep: Set<string>): void {
    for (const [id, e] of [...this.entries]) if (e.podUid === podUid && !keep.has(id)) this.stopContainer(id);
  }

  stopAll(): void { for (const id of [...this.entries.keys()]) this.stopContainer(id); }
}
