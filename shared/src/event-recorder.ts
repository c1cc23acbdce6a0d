// EventRecorder: core/v1 Events about API objects, as client-go's record package writes them.
//
// Contract:
// - record() never throws and never blocks the caller: writes run in the background, one at a
//   time per recorder, in call order. Failures are logged at debug level and dropped (events
//   are best effort, as upstream).
// - Deduplication (upstream's EventCorrelator, exact-match part): a repeat of the same
//   (involvedObject uid/kind/namespace/name, type, reason, message, source) within the
//   recorder's cache updates the existing Event (count + 1, lastTimestamp now) instead of
//   creating a new one. If the patch finds the Event gone (404), a new one is created.
// - The Event's name is `<object name>.<hex nanosecond timestamp>`, in the object's namespace
//   (`default` for cluster-scoped objects such as Nodes), as upstream.
// - Spam limit: at most `burst` new writes per involved object, refilled at one per
//   `refillMs` (upstream: burst 25, one per 5 min); excess events are dropped.
// - Timestamps (firstTimestamp / lastTimestamp) are the time of record(), as upstream's recorder
//   stamps an event when it is made, not when it is sent.
// - Deferral (`deferWhile`): while it returns true, the next write waits (polled every
//   `deferPollMs`), for at most `maxDeferMs` after the event was recorded. A kubelet passes "pods
//   are being started": on a busy node an event is best effort and the pod work it reports on
//   comes first (its writes would compete with that work for the same CPU). close() stops
//   deferring.
// - close() waits for queued writes (bounded by `closeTimeoutMs`).
import { performance } from 'node:perf_hooks';
import type { KubeObject, ObjectMeta } from './api/meta.js';
import type { ApiClient } from './client/api-client.js';
import { Resources } from './client/resources.js';
import { isStatusError } from './errors.js';
import type { Logger } from './logger.js';

export type EventType = 'Normal' | 'Warning';

export interface EventSource {
  /** e.g. `default-scheduler`, `replicaset-controller`, `kubelet`. */
  component: string;
  /** The node name, for kubelet events. */
  host?: string;
}

export interface EventRecorderOptions {
  client: Pick<ApiClient, 'create' | 'patch'>;
  source: EventSource;
  logger?: Logger;
  /** Dedup cache size (LRU); default 4096. */
  cacheSize?: number;
  burst?: number;
  refillMs?: number;
  now?: () => Date;
  /** Writes wait while this returns true (see the header); default never. */
  deferWhile?: () => boolean;
  /** Longest deferral of one event after it was recorded; default 10 000 ms. */
  maxDeferMs?: number;
  /** How often a deferred write checks deferWhile again; default 100 ms. */
  deferPollMs?: number;
}

/** The part of an object an Event refers to. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

interface CachedEvent {
  namespace: string;
  name: string;
  count: number;
}

/** Builds the involvedObject reference for `obj` (apiVersion/kind must be set on it, or given). */
export function objectReference(obj: KubeObject, kind?: string, apiVersion?: string, fieldPath?: string): ObjectReference {
  const meta: ObjectMeta = obj.metadata ?? {};
  const ref: ObjectReference = {
    apiVersion: obj.apiVersion ?? apiVersion,
    kind: obj.kind ?? kind,
    name: meta.name,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
  };
  if (meta.namespace) ref.namespace = meta.namespace;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

export class EventRecorder {
  private readonly cache = new Map<string, CachedEvent>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  private readonly now: () => Date;

  constructor(private readonly opts: EventRecorderOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Records an event about `obj`; `obj` may be a full object or an ObjectReference-like object. */
  record(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    if (this.closed) return;
    const ref: ObjectReference = 'metadata' in obj && obj.metadata ? objectReference(obj as KubeObject) : (obj as ObjectReference);
    if (!ref.name) return;
    if (!this.allow(ref)) return;
    this.pending++;
    const at = this.now();
    const recordedAt = performance.now();
    this.tail = this.tail.then(() => this.deferred(recordedAt)).then(() => this.write(ref, type, reason, message, at)).catch((err) => {
      this.opts.logger?.debug({ err, reason }, 'event dropped');
    }).finally(() => { this.pending--; });
  }

  /** printf-style convenience: recordf(obj, 'Normal', 'Scaled', 'Scaled up to %d', 3). */
  recordf(obj: KubeObject | ObjectReference, type: EventType, reason: string, format: string, ...args: unknown[]): void {
    let i = 0;
    const message = format.replace(/%[sdv]/g, () => String(args[i++]));
    this.record(obj, type, reason, message);
  }

  /** Number of events queued or being written. */
  inFlight(): number { return this.pending; }

  async close(timeoutMs = 5_000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); timer.unref?.(); })]);
    if (timer) clearTimeout(timer);
  }

  /** Resolves when the write of an event recorded at `recordedAt` (performance.now()) may go
   *  (see deferWhile). */
  private async deferred(recordedAt: number): Promise<void> {
    const { deferWhile } = this.opts;
    if (!deferWhile) return;
    const until = recordedAt + (this.opts.maxDeferMs ?? 10_000);
    while (!this.closed && deferWhile() && performance.now() < until) {
      await new Promise((r) => setTimeout(r, this.opts.deferPollMs ?? 100));
    }
  }

  private allow(ref: ObjectReference): boolean {
    const burst = this.opts.burst ?? 25;
    const refill = this.opts.refillMs ?? 300_000;
    const key = `${ref.kind}/${ref.namespace ?? ''}/${ref.name}/${ref.uid ?? ''}`;
    const t = this.now().getTime();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: burst, at: t };
      this.buckets.set(key, b);
      if (this.buckets.size > (this.opts.cacheSize ?? 4096)) this.buckets.delete(this.buckets.keys().next().value!);
    }
    const gained = Math.floor((t - b.at) / refill);
    if (gained > 0) { b.tokens = Math.min(burst, b.tokens + gained); b.at += gained * refill; }
    if (b.tokens <= 0) return false;
    b.tokens--;
    return true;
  }

  private async write(ref: ObjectReference, type: EventType, reason: string, message: string, at: Date): Promise<void> {
    const source = this.opts.source;
    const key = [ref.kind, ref.namespace, ref.name, ref.uid, ref.fieldPath, type, reason, message, source.component, source.host].join('\u0000');
    const nowIso = at.toISOString().replace(/\.\d+Z$/, 'Z');
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key); // LRU: re-inserted below
      try {
        await this.opts.client.patch(Resources.events, cached.namespace, cached.name,
          { count: cached.count + 1, lastTimestamp: nowIso }, 'merge');
        cached.count++;
        this.remember(key, cached);
        return;
      } catch (e) {
        if (!(isStatusError(e) && e.status.code === 404)) throw e;
      }
    }
    const namespace = ref.namespace || 'default';
    const ns = process.hrtime.bigint() + BigInt(at.getTime()) * 1_000_000n;
    const name = `${ref.name}.${ns.toString(16)}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: ref,
      reason,
      message,
      type,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: nowIso,
      lastTimestamp: nowIso,
      count: 1,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    await this.opts.client.create(Resources.events, event, { namespace });
    this.remember(key, { namespace, name, count: 1 });
  }

  private remember(key: string, ev: CachedEvent): void {
    this.cache.set(key, ev);
    if (this.cache.size > (this.opts.cacheSize ?? 4096)) this.cache.delete(this.cache.keys().next().value!);
  }
}
