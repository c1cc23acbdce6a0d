// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package
// (LeaseLock) does it, so that two copies of a component can run and only one acts.
//
// Algorithm (one loop per elector):
//   1. Candidate: every retryPeriod (jittered up to +120 %, client-go's JitterFactor 1.2) try to
//      acquire the Lease <namespace>/<name>: create it when missing; take it over when its
//      holderIdentity is empty (released) or it has not changed for leaseDurationSeconds of
//      *local* time since this elector first observed its current record (clock skew between
//      hosts does not matter, as upstream); otherwise wait. Writes are compare-and-swap on
//      metadata.resourceVersion: 409 (Conflict / AlreadyExists) means another candidate won.
//   2. Leader: onStartedLeading(signal) runs; every retryPeriod the lease is renewed
//      (renewTime = now). Failed renewals are retried every retryPeriod until renewDeadline has
//      passed since the round began; then leadership is lost. Seeing another holder in the
//      lease ends leadership at once (upstream waits for the deadline; stopping early is safer).
//   3. Losing or stopping: the signal given to onStartedLeading aborts; the elector awaits the
//      promise onStartedLeading returned (return one that settles when the work has stopped,
//      so two leaders never overlap), releases the lease when stopping (releaseOnCancel:
//      holderIdentity "" and leaseDurationSeconds 1, so the next candidate takes over at its
//      next retry instead of after a full lease duration), then calls onStoppedLeading.
//      After a loss (not a stop) it becomes a candidate again (step 1): a process without a
//      supervisor keeps serving as a standby instead of exiting as upstream components do.
//
// Timing guarantee: a leader renews at least every retryPeriod and gives up renewDeadline
// after its last successful renewal round began, i.e. before leaseDuration has passed
// (leaseDuration > renewDeadline > 1.2 × retryPeriod is enforced), so the next leader starts
// only after the previous one has stopped — as long as the work stops when its signal aborts.
//
// Lease fields written: holderIdentity, leaseDurationSeconds, acquireTime, renewTime (RFC 3339
// with microseconds, `2026-11-23T14:00:00.000000Z`), leaseTransitions (+1 when the holder
// changes). Errors never escape: they are logged and retried.
// Not handled: the coordinated-leader-election `strategy`/`preferredHolder` fields, and
// releasing a lease that a lost leader can no longer reach.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { KubeObject } from './api/meta.js';
import type { ApiClient } from './client/api-client.js';
import { isAlreadyExists, isConflict, isNotFound } from './client/error-predicates.js';
import { Resources } from './client/resources.js';
import { realClock, sleep, type Clock } from './clock.js';
import type { Logger } from './logger.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface LeaderElectionOptions {
  client: Pick<ApiClient, 'get' | 'create' | 'update'>;
  /** Namespace of the Lease, e.g. kube-system. */
  namespace: string;
  /** Name of the Lease, e.g. kube-controller-manager. */
  name: string;
  /** Unique per process; see defaultLeaderIdentity(). */
  identity: string;
  /** Default 15 000 (upstream --leader-elect-lease-duration=15s). */
  leaseDurationMs?: number;
  /** Default 10 000 (upstream --leader-elect-renew-deadline=10s). */
  renewDeadlineMs?: number;
  /** Default 2 000 (upstream --leader-elect-retry-period=2s). */
  retryPeriodMs?: number;
  /**
   * Called when this elector becomes leader. `signal` aborts when leadership ends. A returned
   * promise is awaited (after the abort) before the lease is released or re-contested.
   */
  onStartedLeading(signal: AbortSignal): unknown;
  /** Called after leadership ended and the work stopped (and after the release, if any). */
  onStoppedLeading?(): void;
  /** Called whenever the observed holder changes to a non-empty identity (including us). */
  onNewLeader?(identity: string): void;
  /** Clear the holder when stopping, so a standby takes over at once; default true. */
  releaseOnCancel?: boolean;
  /** Aborting it is the same as stop(). */
  signal?: AbortSignal;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
}

export interface LeaderElector {
  readonly identity: string;
  isLeader(): boolean;
  /** The holder of the lease as last observed ('' when none or not yet known). */
  leader(): string;
  /**
   * Health check (client-go's HealthzAdaptor): false only while this elector believes it
   * leads but has not renewed for longer than leaseDuration + toleranceMs (default 20 s).
   */
  healthy(toleranceMs?: number): boolean;
  /** Stops: aborts the leading work, awaits it, releases the lease; resolves when done. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the elector has stopped (by stop() or the signal). */
  readonly done: Promise<void>;
}

export const LEADER_ELECTION_DEFAULTS = Object.freeze({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
const JITTER_FACTOR = 1.2;

/** `hostname_uuid`, as kube-controller-manager and kube-scheduler identify themselves. */
export function defaultLeaderIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits, UTC. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** Throws TypeError unless leaseDuration > renewDeadline > 1.2 × retryPeriod > 0 (client-go's checks). */
export function validateLeaderElectionTimings(t: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number }): void {
  const { leaseDurationMs: lease, renewDeadlineMs: renew, retryPeriodMs: retry } = t;
  if (!(retry > 0)) throw new TypeError('leader election: retryPeriod must be greater than zero');
  if (!(lease > renew)) throw new TypeError('leader election: leaseDuration must be greater than renewDeadline');
  if (!(renew > JITTER_FACTOR * retry)) throw new TypeError(`leader election: renewDeadline must be greater than retryPeriod*${JITTER_FACTOR}`);
}

/** Starts campaigning at once; see the file comment for the algorithm. */
export function runLeaderElection(opts: LeaderElectionOptions): LeaderElector {
  return new Elector(opts);
}

type LeadOutcome = 'stopped' | 'lost';

class Elector implements LeaderElector {
  readonly identity: string;
  readonly done: Promise<void>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly retryMs: number;
  private readonly stopper = new AbortController();
  private leading = false;
  /** The last lease object read or written (its resourceVersion is our CAS precondition). */
  private lease: KubeObject | undefined;
  /** JSON of the last observed spec record, and the local time it was first seen. */
  private observedRaw = '';
  private observedAt = 0;
  private observedHolder = '';
  private lastRenewAt = 0;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.identity = opts.identity;
    if (!opts.identity) throw new TypeError('leader election: identity is required');
    this.leaseMs = opts.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs;
    this.renewMs = opts.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs;
    this.retryMs = opts.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs;
    validateLeaderElectionTimings({ leaseDurationMs: this.leaseMs, renewDeadlineMs: this.renewMs, retryPeriodMs: this.retryMs });
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.log = opts.logger.child({ lease: `${opts.namespace}/${opts.name}`, identity: opts.identity });
    if (opts.signal) {
      if (opts.signal.aborted) this.stopper.abort();
      else opts.signal.addEventListener('abort', () => this.stopper.abort(), { once: true });
    }
    this.done = this.run().catch((e) => this.log.error({ err: e }, 'leader election loop failed'));
  }

  isLeader(): boolean { return this.leading; }

  leader(): string { return this.observedHolder; }

  healthy(toleranceMs = 20_000): boolean {
    if (!this.leading) return true;
    return this.clock.now() <= this.lastRenewAt + this.leaseMs + toleranceMs;
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }

  // ---- loop --------------------------------------------------------------------------------

  private async run(): Promise<void> {
    const stop = this.stopper.signal;
    while (!stop.aborted) {
      if (!(await this.acquire())) break;
      const outcome = await this.lead();
      if (outcome === 'stopped') break;
    }
  }

  /** Candidate phase; true once acquired, false when stopped first. */
  private async acquire(): Promise<boolean> {
    const stop = this.stopper.signal;
    this.log.info('attempting to acquire leader lease');
    while (!stop.aborted) {
      try {
        if (await this.tryAcquireOrRenew(stop)) {
          this.log.info('successfully acquired lease');
          return true;
        }
        this.log.debug({ holder: this.observedHolder }, 'lease is held by another candidate');
      } catch (e) {
        if (stop.aborted) break;
        this.log.warn({ err: e }, 'error acquiring lease; retrying');
      }
      await sleep(this.retryMs * (1 + JITTER_FACTOR * this.random()), stop, this.clock);
    }
    return false;
  }

  /** Leader phase: runs the work, renews until lost or stopped, then winds down. */
  private async lead(): Promise<LeadOutcome> {
    this.leading = true;
    this.lastRenewAt = this.clock.now();
    const work = new AbortController();
    const running = Promise.resolve()
      .then(() => this.opts.onStartedLeading(work.signal))
      .catch((e) => this.log.error({ err: e }, 'onStartedLeading failed'));
    const outcome = await this.renewLoop();
    this.leading = false;
    work.abort();
    if (outcome === 'lost') this.log.error('leader election lost');
    await running;
    if (outcome === 'stopped' && this.opts.releaseOnCancel !== false) await this.release();
    try {
      this.opts.onStoppedLeading?.();
    } catch (e) {
      this.log.error({ err: e }, 'onStoppedLeading failed');
    }
    return outcome;
  }

  private async renewLoop(): Promise<LeadOutcome> {
    const stop = this.stopper.signal;
    for (;;) {
      if (!(await sleep(this.retryMs, stop, this.clock))) return 'stopped';
      const deadline = this.clock.now() + this.renewMs;
      let renewed = false;
      while (!renewed) {
        const remaining = deadline - this.clock.now();
        if (remaining <= 0) break;
        try {
          renewed = await this.withTimeout(remaining, (signal) => this.tryAcquireOrRenew(signal));
        } catch (e) {
          if (stop.aborted) return 'stopped';
          this.log.warn({ err: e }, 'failed to renew lease; retrying');
        }
        if (stop.aborted) return 'stopped';
        if (renewed) break;
        if (this.observedHolder && this.observedHolder !== this.identity) {
          this.log.error({ holder: this.observedHolder }, 'lease was taken over by another holder');
          return 'lost';
        }
        const wait = Math.min(this.retryMs, deadline - this.clock.now());
        if (wait > 0 && !(await sleep(wait, stop, this.clock))) return 'stopped';
      }
      if (!renewed) {
        this.log.error({ renewDeadlineMs: this.renewMs }, 'failed to renew lease before the renew deadline');
        return 'lost';
      }
      this.lastRenewAt = this.clock.now();
    }
  }

  // ---- lease access ------------------------------------------------------------------------

  /** One attempt; true when we hold the lease afterwards. Throws on unexpected API errors. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const { client, namespace, name } = this.opts;
    const now = this.clock.now();
    let current: KubeObject | undefined;
    try {
      current = await client.get(Resources.leases, namespace, name, signal);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!current) {
      const spec: LeaseSpec = this.record(now, 0);
      try {
        const created = await client.create(Resources.leases, {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec,
        }, { signal });
        this.observe(created, now);
        return true;
      } catch (e) {
        if (isAlreadyExists(e) || isConflict(e)) return false;
        throw e;
      }
    }
    this.observe(current, now);
    const old = (current.spec ?? {}) as LeaseSpec;
    const holder = old.holderIdentity ?? '';
    if (holder && holder !== this.identity && this.observedValid(now)) return false;
    const mine = holder === this.identity;
    const spec = this.record(now, (old.leaseTransitions ?? 0) + (mine ? 0 : 1), mine ? old.acquireTime : undefined);
    try {
      const updated = await client.update(Resources.leases, { ...current, spec: { ...current.spec, ...spec } }, { signal });
      this.observe(updated, now);
      return true;
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return false;
      throw e;
    }
  }

  /** Clears the holder of a lease we hold (CAS on the last version we wrote). Never throws. */
  private async release(): Promise<void> {
    const current = this.lease;
    if (!current || (current.spec as LeaseSpec | undefined)?.holderIdentity !== this.identity) return;
    const now = this.clock.now();
    const spec: LeaseSpec = {
      holderIdentity: '', leaseDurationSeconds: 1, acquireTime: formatMicroTime(now), renewTime: formatMicroTime(now),
      leaseTransitions: (current.spec as LeaseSpec).leaseTransitions ?? 0,
    };
    try {
      // stop() has already aborted the stop signal: bound the release by its own timeout only
      const updated = await this.withTimeout(this.renewMs, (signal) =>
        this.opts.client.update(Resources.leases, { ...current, spec: { ...current.spec, ...spec } }, { signal }), false);
      this.observe(updated, now);
      this.log.info('released leader lease');
    } catch (e) {
      this.log.warn({ err: e }, 'failed to release lease; the next leader takes over when it expires');
    }
  }

  /** Our record: acquireTime kept when renewing (`acquireTime` given), else now. */
  private record(now: number, transitions: number, acquireTime?: string): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.leaseMs / 1000)),
      acquireTime: acquireTime ?? formatMicroTime(now),
      renewTime: formatMicroTime(now),
      leaseTransitions: transitions,
    };
  }

  /** Remembers the lease; the observation time moves only when its record changed. */
  private observe(lease: KubeObject, now: number): void {
    this.lease = lease;
    const s = (lease.spec ?? {}) as LeaseSpec;
    const raw = JSON.stringify([s.holderIdentity ?? '', s.leaseDurationSeconds, s.acquireTime, s.renewTime, s.leaseTransitions]);
    if (raw !== this.observedRaw) {
      this.observedRaw = raw;
      this.observedAt = now;
    }
    const holder = s.holderIdentity ?? '';
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder) {
        this.log.info({ holder }, 'new leader observed');
        try {
          this.opts.onNewLeader?.(holder);
        } catch (e) {
          this.log.error({ err: e }, 'onNewLeader failed');
        }
      }
    }
  }

  /** The observed record is still valid: it changed less than its leaseDurationSeconds ago. */
  private observedValid(now: number): boolean {
    const s = (this.lease?.spec ?? {}) as LeaseSpec;
    const durMs = (s.leaseDurationSeconds && s.leaseDurationSeconds > 0 ? s.leaseDurationSeconds * 1000 : this.leaseMs);
    return this.observedAt + durMs > now;
  }

  /** Runs fn with a signal that aborts after `ms` (on this elector's clock), and on stop unless told otherwise. */
  private async withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>, abortOnStop = true): Promise<T> {
    const timeout = new AbortController();
    const timer = this.clock.setTimeout(() => timeout.abort(new Error(`timed out after ${ms} ms`)), ms);
    try {
      return await fn(abortOnStop ? AbortSignal.any([timeout.signal, this.stopper.signal]) : timeout.signal);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}
