// Informer: an in-memory, eventually consistent copy of one resource collection, kept
// current by list + watch with client-go reflector semantics, plus event handlers.
//
// Algorithm (one loop per informer):
//   1. list in pages (limit=pageSize, following `continue`), replace the cache and emit the
//      differences; the watch starts from the FIRST page's resourceVersion (if later pages were
//      read at newer versions, the watch replays those changes, and replays of a version
//      already cached emit nothing);
//   2. watch from the last seen resourceVersion with allowWatchBookmarks and a random
//      timeoutSeconds in [300, 600];
//   3. the server ends the watch normally → watch again from the last seen version
//      (immediately, unless the watch lasted < 1 s and delivered nothing: then back off);
//   4. 410 (an HTTP 410 or an ERROR event whose Status has code 410) → relist (step 1);
//   5. any other failure → exponential backoff with jitter (200 ms doubling to 30 s by default),
//      then retry the failed step (list again, or watch again from the last seen version).
//      The backoff resets after a successful list and after a watch that delivered events.
//
// Handler contract:
// - The cache is updated before the handler for that change runs, so handlers may read it.
// - An object is added once; it is not added again until a delete was emitted for it. An
//   object recreated with a new uid under the same key is reported as delete(old) + add(new).
// - update(old, new) is only emitted when the resourceVersion changed (or on resync, where
//   old === new). Relists emit adds, updates and deletes for the differences only.
// - delete(obj) carries the last known state: the DELETED event's object, or for deletions
//   discovered by a relist, the cached object. DELETED for an unknown key emits nothing.
// - Handlers run synchronously in event order; they should only enqueue. A thrown error (or a
//   rejected promise) is logged and does not affect the informer or other handlers.
// - A handler registered after objects are cached first receives add() for each of them
//   (synchronously, during registration), like client-go's late AddEventHandler.
// - Objects from lists get `kind`/`apiVersion` filled from the ref when missing; objects
//   are shared with handlers and must be treated as read-only.
// Not handled: indexers beyond the primary key, transforms, watch-list streaming.
import type { KubeObject, Status, WatchEvent } from './api/meta.js';
import { Backoff, DEFAULT_INFORMER_BACKOFF, type BackoffOptions } from './backoff.js';
import { objectKey } from './cache-key.js';
import type { ApiClient } from './client/api-client.js';
import { isResourceExpired } from './client/error-predicates.js';
import { groupVersion, qualifiedResource, type ResourceRef } from './client/resources.js';
import { isStatus, statusErrorFromStatus } from './client/response-errors.js';
import { realClock, sleep, type Clock, type TimerHandle } from './clock.js';
import { makeStatus } from './errors.js';
import type { Logger } from './logger.js';

export interface EventHandlers<T> {
  onAdd?(obj: T): unknown;
  onUpdate?(oldObj: T, newObj: T): unknown;
  onDelete?(obj: T): unknown;
}

export type ListerWatcher = Pick<ApiClient, 'list' | 'watch'>;

export interface InformerOptions {
  client: ListerWatcher;
  ref: ResourceRef;
  /** Restrict to one namespace (namespaced refs only). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver update(obj, obj) for every cached object this often; 0/undefined = never. */
  resyncMs?: number;
  logger: Logger;
  /** List page size; default 500. */
  pageSize?: number;
  backoff?: BackoffOptions;
  /** Bounds for the random watch timeoutSeconds; default [300, 600]. */
  watchTimeoutSeconds?: [number, number];
  clock?: Clock;
  random?: () => number;
}

/** A watch that ends sooner than this without events counts as a failure (client-go). */
const SHORT_WATCH_MS = 1000;

type WatchOutcome = 'closed' | 'expired' | 'short';

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private readonly syncWaiters = new Set<(synced: boolean) => void>();
  private synced = false;
  private started = false;
  private lastRV = '';
  private runPromise: Promise<void> | undefined;
  private resyncTimer: TimerHandle | undefined;

  constructor(private readonly opts: InformerOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff({ ...(opts.backoff ?? DEFAULT_INFORMER_BACKOFF), random: this.random });
    this.log = opts.logger.child({ informer: qualifiedResource(opts.ref), ...(opts.namespace ? { namespace: opts.namespace } : {}) });
  }

  // ---- handlers ----------------------------------------------------------------------------

  /** Registers handlers; returns a function that unregisters them. */
  addEventHandler(h: EventHandlers<T>): () => void {
    this.handlers.add(h);
    if (h.onAdd) for (const obj of [...this.cache.values()]) this.call(h, 'onAdd', obj);
    return () => { this.handlers.delete(h); };
  }

  on(event: 'add', fn: (obj: T) => unknown): () => void;
  on(event: 'update', fn: (oldObj: T, newObj: T) => unknown): () => void;
  on(event: 'delete', fn: (obj: T) => unknown): () => void;
  on(event: 'add' | 'update' | 'delete', fn: (...args: any[]) => unknown): () => void {
    switch (event) {
      case 'add': return this.addEventHandler({ onAdd: fn });
      case 'update': return this.addEventHandler({ onUpdate: fn });
      case 'delete': return this.addEventHandler({ onDelete: fn });
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Starts list+watch in the background. Idempotent; an informer cannot be restarted after stop(). */
  start(): void {
    if (this.started || this.abort.signal.aborted) return;
    this.started = true;
    this.runPromise = this.run(this.abort.signal).catch((e) => {
      this.log.error({ err: e }, 'informer loop failed');
    });
    this.scheduleResync();
  }

  /** Stops watching; resolves once the loop has exited. The cache keeps its last contents. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    for (const w of this.syncWaiters) w(false);
    this.syncWaiters.clear();
    await this.runPromise;
  }

  hasSynced(): boolean { return this.synced; }

  /** Resolves true once the first list is in the cache; false if stopped or `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        this.syncWaiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onAbort = (): void => done(false);
      this.syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- cache reads -------------------------------------------------------------------------

  get(key: string): T | undefined { return this.cache.get(key); }
  list(): T[] { return [...this.cache.values()]; }
  keys(): string[] { return [...this.cache.keys()]; }
  /** The resourceVersion the next watch would start from ('' before the first list). */
  lastSyncResourceVersion(): string { return this.lastRV; }

  // ---- reflector loop ----------------------------------------------------------------------

  private async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    let expiredInARow = 0;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.listAndReplace(signal);
          if (signal.aborted) break;
          needList = false;
          this.backoff.reset();
        }
        const outcome = await this.watchOnce(signal);
        if (signal.aborted) break;
        if (outcome === 'expired') {
          needList = true;
          // A fresh list followed at once by another 410 means something is wrong: slow down.
          if (++expiredInARow > 1) await sleep(this.backoff.next(), signal, this.clock);
          continue;
        }
        expiredInARow = 0;
        if (outcome === 'short') {
          const delay = this.backoff.next();
          this.log.debug({ delayMs: delay }, 'watch closed at once without events; backing off');
          await sleep(delay, signal, this.clock);
        }
      } catch (e) {
        if (signal.aborted) break;
        if (isResourceExpired(e)) {
          this.log.info({ rv: this.lastRV }, 'resource version expired; relisting');
          needList = true;
          if (++expiredInARow > 1) await sleep(this.backoff.next(), signal, this.clock);
          continue;
        }
        const delay = this.backoff.next();
        this.log.warn({ err: e, delayMs: delay, step: needList ? 'list' : 'watch' }, 'list/watch failed; retrying');
        await sleep(delay, signal, this.clock);
      }
    }
  }

  private async listAndReplace(signal: AbortSignal): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let listRV: string | undefined;
    do {
      const page = await this.opts.client.list<T>(this.opts.ref, {
        namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
        limit: this.opts.pageSize ?? 500, continue: cont, signal,
      });
      if (listRV === undefined) listRV = page.metadata?.resourceVersion ?? '';
      for (const item of page.items ?? []) items.push(this.withTypeMeta(item));
      cont = page.metadata?.continue || undefined;
    } while (cont && !signal.aborted);
    if (signal.aborted) return;
    this.replace(items);
    this.lastRV = listRV ?? '';
    this.log.debug({ rv: this.lastRV, count: items.length }, 'listed');
    if (!this.synced) {
      this.synced = true;
      for (const w of [...this.syncWaiters]) w(true);
    }
  }

  /** Makes the cache equal to `items`, emitting the differences. */
  private replace(items: T[]): void {
    const fresh = new Map<string, T>();
    for (const obj of items) fresh.set(objectKey(obj), obj);
    for (const [key, old] of [...this.cache]) {
      if (fresh.has(key)) continue;
      this.cache.delete(key);
      this.emit('onDelete', old);
    }
    for (const [key, obj] of fresh) this.upsert(key, obj);
  }

  private upsert(key: string, obj: T): void {
    const old = this.cache.get(key);
    if (!old) {
      this.cache.set(key, obj);
      this.emit('onAdd', obj);
    } else if (old.metadata.uid && obj.metadata.uid && old.metadata.uid !== obj.metadata.uid) {
      this.cache.delete(key);
      this.emit('onDelete', old);
      this.cache.set(key, obj);
      this.emit('onAdd', obj);
    } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion || !obj.metadata.resourceVersion) {
      this.cache.set(key, obj);
      this.emit('onUpdate', old, obj);
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<WatchOutcome> {
    const [lo, hi] = this.opts.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = lo + Math.floor(this.random() * (hi - lo + 1));
    const startedAt = this.clock.now();
    let delivered = 0;
    const stream = this.opts.client.watch<T>(this.opts.ref, {
      namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
      resourceVersion: this.lastRV || undefined, allowWatchBookmarks: true, timeoutSeconds,
    }, signal);
    for await (const ev of stream) {
      if (signal.aborted) return 'closed';
      if (ev.type === 'ERROR') {
        const st = ev.object as unknown;
        if (isStatus(st) && st.code === 410) {
          this.log.info({ rv: this.lastRV, message: st.message }, 'watch expired; relisting');
          return 'expired';
        }
        throw statusErrorFromStatus(isStatus(st) ? (st as Status) : makeStatus(500, 'InternalError', 'watch ERROR event without a Status'));
      }
      delivered++;
      this.backoff.reset();
      this.apply(ev);
    }
    if (delivered === 0 && this.clock.now() - startedAt < SHORT_WATCH_MS) return 'short';
    return 'closed';
  }

  private apply(ev: WatchEvent<T>): void {
    const obj = ev.object;
    const rv = obj?.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    const key = objectKey(obj);
    if (ev.type === 'DELETED') {
      const old = this.cache.get(key);
      if (old) {
        this.cache.delete(key);
        this.emit('onDelete', obj);
      } else {
        this.log.debug({ key }, 'DELETED for an object not in the cache');
      }
    } else {
      this.upsert(key, obj);
    }
    if (rv) this.lastRV = rv;
  }

  private withTypeMeta(obj: T): T {
    if (!obj.kind && this.opts.ref.kind) obj.kind = this.opts.ref.kind;
    if (!obj.apiVersion) obj.apiVersion = groupVersion(this.opts.ref);
    return obj;
  }

  // ---- resync and dispatch -----------------------------------------------------------------

  private scheduleResync(): void {
    const every = this.opts.resyncMs;
    if (!every || every <= 0 || this.abort.signal.aborted) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.abort.signal.aborted) return;
      if (this.synced) for (const obj of [...this.cache.values()]) this.emit('onUpdate', obj, obj);
      this.scheduleResync();
    }, every);
  }

  private emit(kind: 'onAdd' | 'onDelete', obj: T): void;
  private emit(kind: 'onUpdate', oldObj: T, newObj: T): void;
  private emit(kind: keyof EventHandlers<T>, a: T, b?: T): void {
    for (const h of [...this.handlers]) this.call(h, kind, a, b);
  }

  private call(h: EventHandlers<T>, kind: keyof EventHandlers<T>, a: T, b?: T): void {
    const fn = h[kind] as ((x: T, y?: T) => unknown) | undefined;
    if (!fn) return;
    try {
      const r = kind === 'onUpdate' ? fn.call(h, a, b) : fn.call(h, a);
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(undefined, (e: unknown) => this.log.error({ err: e, handler: kind }, 'informer handler rejected'));
      }
    } catch (e) {
      this.log.error({ err: e, handler: kind }, 'informer handler threw');
    }
  }
}
