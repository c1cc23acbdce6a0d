// The scheduling queue (upstream's PriorityQueue): three places a pending pod can wait.
//
//   activeQ        pods to try now, highest spec.priority first, then FIFO by the time they
//                  were (re)queued. pop() waits for one.
//   backoffQ       pods that failed and wait out their backoff: 1 s × 2^(attempts−1), at most
//                  10 s (upstream --pod-initial/max-backoff-seconds). Checked every second.
//   unschedulable  pods no node fits. They leave only when a cluster event that may help
//                  them happens (moveAllToActiveOrBackoff: to backoffQ while still backing
//                  off, else activeQ), or after 5 min there (checked every 30 s) — never in
//                  a loop of their own.
//
// Contract:
// - A pod (by ns/name key) is in at most one place; popped pods are "in flight" until
//   done(key) or requeued with addUnschedulable(); updates and deletes of in-flight pods are
//   remembered (the requeued copy is the newest; a deleted one is dropped).
// - addUnschedulable(q, unschedulable=true): if a move event happened since the pod was
//   popped (upstream's moveRequestCycle), the pod goes to backoffQ instead, so an event
//   during its attempt is not lost. unschedulable=false (an error) always goes to backoffQ.
// - update() of a pod in unschedulable moves it out (its spec may now fit); elsewhere the
//   stored copy is replaced.
// - Events name the plugins they can help (ClusterEvent.plugins); a pod moves when one of
//   the plugins that rejected it is named, or the event names none (= every plugin).
// - Timers run on the injected clock; close() stops them and wakes pop() with undefined.
import { realClock, type Clock, type KubeObject, type TimerHandle } from '@k8ts/shared';
import { objectKey } from '@k8ts/shared';
import { KeyedHeap } from './heap.js';

export interface QueuedPodInfo {
  pod: KubeObject;
  key: string;
  /** When it was last added to a queue (FIFO order and backoff start). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Filter plugins that rejected it last time (empty: any event may help). */
  unschedulablePlugins: Set<string>;
  /** The scheduling cycle in which it was popped. */
  cycle: number;
  seq: number;
}

export interface ClusterEvent {
  /** e.g. NodeAdd, NodeUpdate, AssignedPodDelete, UnschedulableTimeout */
  label: string;
  /** Plugins this event can make succeed; undefined = all. */
  plugins?: ReadonlySet<string>;
}

export interface SchedulingQueueOptions {
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  backoffFlushMs?: number;
  unschedulableFlushMs?: number;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable';

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((q) => q.key, (a, b) => {
    const pa = priorityOf(a.pod), pb = priorityOf(b.pod);
    if (pa !== pb) return pa > pb;
    return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
  });
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>((q) => q.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, { q: QueuedPodInfo; deleted: boolean }>();
  private waiters: Array<(q: QueuedPodInfo | undefined) => void> = [];
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private closed = false;
  private timers: TimerHandle[] = [];

  constructor(private readonly opts: SchedulingQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 300_000;
  }

  /** Starts the periodic flushes (backoffQ every 1 s, unschedulable leftovers every 30 s). */
  run(): void {
    const every = (ms: number, fn: () => void): void => {
      const tick = (): void => {
        if (this.closed) return;
        fn();
        this.timers[idx] = this.clock.setTimeout(tick, ms);
      };
      const idx = this.timers.length;
      this.timers.push(this.clock.setTimeout(tick, ms));
    };
    every(this.opts.backoffFlushMs ?? 1_000, () => this.flushBackoffCompleted());
    every(this.opts.unschedulableFlushMs ?? 30_000, () => this.flushUnschedulableLeftover());
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  // ---- input -------------------------------------------------------------------------------

  /** A new pending pod (or one seen again after a relist). */
  add(pod: KubeObject): void {
    const key = objectKey(pod);
    const fl = this.inFlight.get(key);
    if (fl) { fl.q.pod = pod; return; }
    const existing = this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const q = existing ?? this.newInfo(pod, key);
    q.pod = pod;
    if (!existing) q.timestamp = this.clock.now();
    this.pushActive(q);
  }

  update(pod: KubeObject): void {
    const key = objectKey(pod);
    const fl = this.inFlight.get(key);
    if (fl) { fl.q.pod = pod; return; }
    const a = this.activeQ.get(key);
    if (a) { a.pod = pod; this.activeQ.push(a); return; }
    const b = this.backoffQ.get(key);
    if (b) { b.pod = pod; return; }
    const u = this.unschedulable.get(key);
    if (u) {
      u.pod = pod;
      this.unschedulable.delete(key);
      if (this.isBackingOff(u)) this.backoffQ.push(u); else this.pushActive(u);
      return;
    }
    this.add(pod);
  }

  delete(pod: KubeObject | string): void {
    const key = typeof pod === 'string' ? pod : objectKey(pod);
    const fl = this.inFlight.get(key);
    if (fl) fl.deleted = true;
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  // ---- scheduling cycle --------------------------------------------------------------------

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.tryPop();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  tryPop(): QueuedPodInfo | undefined {
    if (this.closed) return undefined;
    const q = this.activeQ.pop();
    if (!q) return undefined;
    return this.startCycle(q);
  }

  /** The attempt of an in-flight pod is over (bound, or dropped). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** Requeues an in-flight pod after a failed attempt; see the file comment. */
  addUnschedulable(q: QueuedPodInfo, unschedulable: boolean): void {
    const fl = this.inFlight.get(q.key);
    this.inFlight.delete(q.key);
    if (fl?.deleted || this.closed) return;
    if (this.activeQ.has(q.key) || this.backoffQ.has(q.key) || this.unschedulable.has(q.key)) return;
    q.timestamp = this.clock.now();
    if (!unschedulable || this.moveRequestCycle >= q.cycle) this.backoffQ.push(q);
    else this.unschedulable.set(q.key, q);
  }

  // ---- moves -------------------------------------------------------------------------------

  moveAllToActiveOrBackoff(event: ClusterEvent): void {
    for (const [key, q] of this.unschedulable) {
      if (!this.helps(event, q)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.backoffQ.push(q); else this.pushActive(q);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.backoffExpiry(q) > now) break;
      this.backoffQ.pop();
      this.pushActive(q);
    }
  }

  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    const stale: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) if (now - q.timestamp > this.maxUnschedulableMs) stale.push(q);
    for (const q of stale) {
      this.unschedulable.delete(q.key);
      if (this.isBackingOff(q)) this.backoffQ.push(q); else this.pushActive(q);
    }
  }

  // ---- introspection -----------------------------------------------------------------------

  pendingCounts(): Record<QueueName, number> {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  /** Where the pod waits, 'inflight', or undefined. */
  where(key: string): QueueName | 'inflight' | undefined {
    if (this.inFlight.has(key)) return 'inflight';
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return undefined;
  }

  /** upstream calculateBackoffDuration: initial × 2^(attempts−1), capped. */
  backoffDuration(q: Pick<QueuedPodInfo, 'attempts'>): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d > this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  // ---- internals ---------------------------------------------------------------------------

  private newInfo(pod: KubeObject, key: string): QueuedPodInfo {
    return { pod, key, timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), cycle: 0, seq: this.seq++ };
  }

  private helps(event: ClusterEvent, q: QueuedPodInfo): boolean {
    if (!event.plugins || q.unschedulablePlugins.size === 0) return true;
    for (const p of q.unschedulablePlugins) if (event.plugins.has(p)) return true;
    return false;
  }

  private pushActive(q: QueuedPodInfo): void {
    q.seq = this.seq++;
    const w = this.waiters.shift();
    if (w && this.activeQ.size === 0) {
      w(this.startCycle(q));
      return;
    }
    if (w) this.waiters.unshift(w);
    this.activeQ.push(q);
  }

  private startCycle(q: QueuedPodInfo): QueuedPodInfo {
    this.schedulingCycle++;
    q.cycle = this.schedulingCycle;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.set(q.key, { q, deleted: false });
    return q;
  }
}

function priorityOf(pod: KubeObject): number {
  const p = pod.spec?.priority;
  return typeof p === 'number' ? p : 0;
}
