// The HTTP side of a watch: newline-delimited JSON events, each written (and so flushed) as
// it happens, on a chunked 200 response that stays open until the client leaves,
// `timeoutSeconds` passes (default: a random 30–60 minutes, as upstream), the server stops,
// or the store ends it with an ERROR event (e.g. 410 Expired). Bookmarks are sent when
// asked for. With a Table Accept header each event carries a one-row Table (column
// definitions on the first one only). A client that does not read (buffer > 16 MiB) is cut.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors, type KubeObject, type Logger, type Status } from '@k8ts/shared';
import type { GenericStore } from '../storage/store.js';
import { tableOf, type IncludeObject } from './table.js';

export interface WatchParams {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: string;
  /** set when the client wants Table events */
  table?: IncludeObject;
}

const MAX_BUFFERED = 16 * 1024 * 1024;
const BOOKMARK_EVERY_MS = 30_000;
const open = new Set<() => void>();

/** Ends every open watch (server shutdown). */
export function closeAllWatches(): void { for (const end of [...open]) end(); }

export async function streamWatch(req: FastifyRequest, reply: FastifyReply, store: GenericStore, ns: string | undefined, p: WatchParams, log: Logger): Promise<void> {
  if (p.sendInitialEvents === 'true' && p.resourceVersion !== '' && p.resourceVersion !== undefined && p.resourceVersion !== '0') {
    // we serve sendInitialEvents only for "any"/unset versions, like upstream's validation
    throw Errors.invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'sendInitialEvents', message: 'Forbidden: sendInitialEvents is only supported with resourceVersionMatch=NotOlderThan' }]);
  }
  const res = reply.raw;
  let ended = false;
  let firstTable = true;
  let lastRV = 0;
  const chunks: (string | Buffer)[] = [];
  let headersSent = false;
  const write = (line: string | Buffer) => {
    if (ended) return;
    if (!headersSent) { chunks.push(line); return; }
    // Cork and flush once per tick: a burst of events becomes one socket write per watcher
    // instead of one per event (the fan-out to hundreds of watchers is syscall-bound).
    if (!corked) { corked = true; res.cork(); process.nextTick(uncork); }
    res.write(line);
    if (res.writableLength > MAX_BUFFERED) { log.warn({ resource: store.qualified }, 'watch client too slow; closing'); end(); }
  };
  let corked = false;
  const uncork = () => { corked = false; if (!res.writableEnded) res.uncork(); };
  const encodeObj = (type: string, obj: KubeObject, json?: string): string => {
    if (p.table) {
      const t = tableOf(store.def, [obj], { resourceVersion: obj.metadata.resourceVersion }, p.table, firstTable);
      firstTable = false;
      return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
    }
    return `{"type":"${type}","object":${json ?? JSON.stringify(obj)}}\n`;
  };
  const bookmark = (rv: number) => {
    if (!p.allowWatchBookmarks || rv <= 0) return;
    const obj = { kind: store.def.kind, apiVersion: store.apiVersion, metadata: { resourceVersion: String(rv) } };
    write(`{"type":"BOOKMARK","object":${JSON.stringify(obj)}}\n`);
  };
  let stop: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    open.delete(end);
    stop?.();
    if (timer) clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (!res.writableEnded) res.end();
  };
  const errorEvent = (s: Status) => {
    write(`{"type":"ERROR","object":${JSON.stringify(s)}}\n`);
    end();
  };
  // subscribe first (this may throw a Status error: answered as a plain response by the caller)
  stop = await store.watch(ns, { resourceVersion: p.resourceVersion, labelSelector: p.labelSelector, fieldSelector: p.fieldSelector }, {
    event: (type, obj, json, line) => {
      lastRV = Math.max(lastRV, Number(obj.metadata.resourceVersion ?? 0));
      write(line && !p.table ? line : encodeObj(type, obj, json));
    },
    error: errorEvent,
    progress: (rv) => { lastRV = Math.max(lastRV, rv); bookmark(rv); },
  });
  reply.hijack();
  res.socket?.setNoDelay(true);
  res.writeHead(200, {
    'Content-Type': p.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  // Node sends the head only with the first body write: flush it now so that a client
  // (client-go's Watch(), curl) sees the 200 at once even when no event is due yet.
  res.flushHeaders();
  headersSent = true;
  // the events that arrived before the head, written one by one (Buffers shared with other
  // watchers are not copied into a joined string); the tick's cork makes them one write
  if (chunks.length) {
    res.cork();
    for (const c of chunks) res.write(c);
    process.nextTick(() => { if (!res.writableEnded) res.uncork(); });
  }
  chunks.length = 0;
  if (p.sendInitialEvents === 'true' && p.allowWatchBookmarks) {
    const rv = lastRV || store.cacheRevision();
    write(`{"type":"BOOKMARK","object":${JSON.stringify({ kind: store.def.kind, apiVersion: store.apiVersion, metadata: { resourceVersion: String(rv), annotations: { 'k8s.io/initial-events-end': 'true' } } })}}\n`);
  }
  open.add(end);
  const seconds = p.timeoutSeconds && p.timeoutSeconds > 0 ? p.timeoutSeconds : 1800 + Math.floor(Math.random() * 1800);
  timer = setTimeout(end, seconds * 1000);
  timer.unref();
  // only a cache-fed watch has seen every event up to the cache's revision
  const direct = (stop as { direct?: boolean }).direct === true;
  if (p.allowWatchBookmarks && !direct) {
    bookmarkTimer = setInterval(() => bookmark(Math.max(lastRV, store.cacheRevision())), BOOKMARK_EVERY_MS);
    bookmarkTimer.unref();
  }
  req.raw.on('close', end);
  res.on('close', end);
  res.on('error', end);
}
