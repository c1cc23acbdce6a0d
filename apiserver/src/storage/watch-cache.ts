// One etcd watch per resource, fanned out to every HTTP watcher of that resource.
//
// Contract:
// - start() records the current etcd revision R0 and watches the resource prefix from R0+1
//   (with previous values, so updates that leave or enter a selector can be translated).
// - Events are decoded and serialized once, kept in a bounded buffer (at least `capacity`
//   events, at most 1/8 more), and delivered to
//   subscribers in revision order, synchronously, as they arrive.
// - subscribe(fromRev) replays buffered events with revision > fromRev and then streams live
//   ones. It returns undefined when fromRev is older than the buffer's window (the caller
//   then watches etcd directly from that revision, which may answer 410 if compacted).
// - If the etcd watch itself fails unrecoverably (e.g. compaction while disconnected), every
//   subscriber is ended with an error and the cache restarts from the current revision.
import type { Etcd3, Watcher, IKeyValue, IWatchResponse } from 'etcd3';
import type { KubeObject, Logger } from '@k8ts/shared';
import { decodeKV, decode } from './codec.js';
import { currentRevision, cancelWatcher } from './etcd.js';

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rev: number;
  obj: KubeObject;
  /** the object before this change (updates and deletes) */
  prev?: KubeObject;
  /** JSON.stringify(obj), computed once */
  json: string;
  /** the watch-stream line per event type, built and UTF-8 encoded once, shared by every watcher */
  lines?: Partial<Record<'ADDED' | 'MODIFIED' | 'DELETED', Buffer>>;
}

/** `{"type":T,"object":...}\n` for this event as bytes, memoized on the event (each watcher's
 *  socket write then reuses the same Buffer instead of encoding the string again). */
export function eventLine(ev: CacheEvent, type: 'ADDED' | 'MODIFIED' | 'DELETED'): Buffer {
  const lines = (ev.lines ??= {});
  return (lines[type] ??= Buffer.from(`{"type":"${type}","object":${ev.json}}\n`));
}

/**
 * A cache event that decodes its object (and previous object) and serializes it only when
 * first asked: a resource nobody watches costs no JSON work per write.
 */
class LazyEvent implements CacheEvent {
  private o?: KubeObject;
  private p?: KubeObject | null;
  private j?: string;
  lines?: CacheEvent['lines'];

  constructor(
    readonly type: CacheEvent['type'], readonly rev: number,
    private readonly value: Buffer, private readonly rv: string, private readonly prevKv: IKeyValue | undefined,
    private readonly kind: string, private readonly apiVersion: string,
  ) {}

  get obj(): KubeObject { return (this.o ??= decode(this.value, this.rv, this.kind, this.apiVersion)); }
  get prev(): KubeObject | undefined {
    if (this.type === 'DELETED') return this.obj;
    if (this.p === undefined) this.p = this.prevKv ? decodeKV(this.prevKv, this.kind, this.apiVersion) : null;
    return this.p ?? undefined;
  }
  get json(): string { return (this.j ??= JSON.stringify(this.obj)); }
}

export interface Subscriber {
  onEvent(ev: CacheEvent): void;
  /** the cache lost its etcd watch: the subscriber must end (clients re-watch) */
  onError(err: Error): void;
  /** the cache's known revision advanced without events for this resource (for bookmarks) */
  onProgress?(rev: number): void;
}

export class WatchCache {
  private buffer: CacheEvent[] = [];
  /** every event with rev > windowStart is in the buffer */
  private windowStart = 0;
  private subscribers = new Set<Subscriber>();
  private watcher?: Watcher;
  private starting?: Promise<void>;
  private stopped = false;
  /** highest revision known to be fully delivered */
  lastRev = 0;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private readonly kind: string,
    private readonly apiVersion: string,
    private readonly log: Logger,
    private readonly capacity = 10_000,
  ) {}

  private get trimBatch(): number { return Math.max(1, this.capacity >> 3); }

  /** Idempotent; resolves once the etcd watch is connected. */
  ensureStarted(): Promise<void> {
    if (!this.starting) {
      this.starting = this.startWatch().catch((err) => { this.starting = undefined; throw err; });
    }
    return this.starting;
  }

  private async startWatch(): Promise<void> {
    const r0 = Number(await currentRevision(this.client));
    this.windowStart = r0;
    this.lastRev = r0;
    this.buffer = [];
    const watcher = await this.client.watch().prefix(this.prefix).withPreviousKV().startRevision(String(r0 + 1)).create();
    this.watcher = watcher;
    watcher.on('data', (res: IWatchResponse) => this.onData(res));
    watcher.on('error', (err: Error) => this.onWatchError(err));
  }

  private onData(res: IWatchResponse): void {
    for (const e of res.events) {
      const rev = Number(e.kv.mod_revision);
      let ev: CacheEvent;
      if (e.type === 'Delete') {
        const prevKv = e.prev_kv as IKeyValue | undefined;
        if (!prevKv) continue; // nothing to report without the old value
        ev = new LazyEvent('DELETED', rev, prevKv.value, String(rev), undefined, this.kind, this.apiVersion);
      } else {
        const type = e.kv.create_revision === e.kv.mod_revision ? 'ADDED' : 'MODIFIED';
        ev = new LazyEvent(type, rev, e.kv.value, e.kv.mod_revision, e.prev_kv, this.kind, this.apiVersion);
      }
      this.buffer.push(ev);
      // trim in batches (keeping at least `capacity` events): a splice of the whole buffer
      // per event made every write past the capacity cost O(capacity)
      if (this.buffer.length > this.capacity + this.trimBatch) {
        const dropped = this.buffer.splice(0, this.buffer.length - this.capacity);
        this.windowStart = dropped[dropped.length - 1]!.rev;
      }
      this.lastRev = rev;
      for (const s of this.subscribers) this.deliver(s, ev);
    }
    const headerRev = Number(res.header?.revision ?? 0);
    if (res.events.length === 0 && headerRev > this.lastRev) {
      this.lastRev = headerRev;
      for (const s of this.subscribers) s.onProgress?.(headerRev);
    }
  }

  private deliver(s: Subscriber, ev: CacheEvent): void {
    try { s.onEvent(ev); } catch (err) { this.log.warn({ err }, 'watch subscriber failed; dropping it'); this.subscribers.delete(s); }
  }

  private onWatchError(err: Error): void {
    this.log.warn({ err: err.message, prefix: this.prefix }, 'etcd watch failed; restarting the watch cache');
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subs) s.onError(err);
    // the failed watcher is already detached inside etcd3 (see store.ts directWatch)
    this.watcher = undefined;
    this.starting = undefined;
    if (!this.stopped) setTimeout(() => { void this.ensureStarted().catch(() => undefined); }, 500).unref();
  }

  /** See the contract above. `fromRev` is exclusive. */
  subscribe(fromRev: number, s: Subscriber): (() => void) | undefined {
    if (fromRev < this.windowStart) return undefined;
    for (const ev of this.buffer) if (ev.rev > fromRev) this.deliver(s, ev);
    // The cache may lag behind fromRev (e.g. its etcd watch is still catching up after an
    // etcd restart while the caller listed at a newer revision): live events at or below
    // fromRev were already seen by the caller and must not be delivered again.
    const sub: Subscriber = s.onProgress
      ? { onEvent: (ev) => { if (ev.rev > fromRev) s.onEvent(ev); }, onError: (e) => s.onError(e), onProgress: (r) => { if (r > fromRev) s.onProgress!(r); } }
      : { onEvent: (ev) => { if (ev.rev > fromRev) s.onEvent(ev); }, onError: (e) => s.onError(e) };
    this.subscribers.add(sub);
    return () => { this.subscribers.delete(sub); };
  }

  get subscriberCount(): number { return this.subscribers.size; }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscribers.clear();
    await cancelWatcher(this.watcher);
  }
}
