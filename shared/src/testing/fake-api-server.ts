// A small in-memory Kubernetes-style API server for tests of clients, informers and
// controllers (fastify on 127.0.0.1, random port). It is NOT the real apiserver: no schemas,
// no strategies, no admission; just enough REST + watch semantics to exercise clients.
//
// Supported:
// - GET list (namespace filter, labelSelector `k=v,k!=v,k` (equality only), fieldSelector on
//   metadata.name / metadata.namespace, limit + continue; every page of one list reports the
//   first page's resourceVersion), GET one, POST, PUT, PUT /status (replaces status only),
//   PATCH (merge-patch and strategic treated as RFC 7386 merge; json-patch → 415), DELETE.
//   Errors are metav1.Status bodies (NotFound, AlreadyExists, Conflict on stale RV).
// - watch=true: without resourceVersion (or "0") sends ADDED for current objects first;
//   with one, replays recorded history after it, then streams live events. A version older
//   than compact() answers 410 Expired, as an ERROR event (default) or a plain 410 response
//   (`expiredAs: 'http'`). timeoutSeconds is honoured. bookmark() sends BOOKMARKs to
//   watches that asked for them; closeWatches() ends every open stream normally.
// - intercept(fn) short-circuits matching requests with a canned status/body (error injection).
// - requests records every request (method, path, query, headers) in arrival order.
// Objects are keyed by `group/plural`; namespaced-ness comes from the request path.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { KubeObject, Status, WatchEventType } from '../api/meta.js';
import { keyFor } from '../cache-key.js';
import type { ResourceRef } from '../client/resources.js';
import { qualifiedResource } from '../client/resources.js';
import { Errors } from '../errors.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

export interface InterceptResult { status: number; body?: unknown; contentType?: string }
export type Interceptor = (req: RecordedRequest) => InterceptResult | undefined;

interface Target { group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string }

interface HistoryEntry { rv: number; res: string; type: WatchEventType; obj: KubeObject }

interface Watcher {
  res: string;
  namespace?: string;
  query: Record<string, string>;
  raw: ServerResponse;
  timer?: ReturnType<typeof setTimeout>;
}

export interface FakeApiServerOptions {
  /** How a too-old watch resourceVersion is answered; default 'event'. */
  expiredAs?: 'event' | 'http';
  /** Bind address; default 127.0.0.1. */
  host?: string;
}

const clone = <T>(v: T): T => structuredClone(v);

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  expiredAs: 'event' | 'http';
  private rv = 1;
  private compactedRv = 0;
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly interceptors: { fn: Interceptor; times: number }[] = [];
  private watchOpens = 0;
  private readonly watchWaiters: { n: number; resolve: () => void }[] = [];

  private constructor(private readonly app: FastifyInstance, readonly url: string, opts: FakeApiServerOptions) {
    this.expiredAs = opts.expiredAs ?? 'event';
  }

  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    let self: FakeApiServer | undefined;
    app.all('/*', (req, reply) => self!.handle(req, reply));
    await app.listen({ port: 0, host: opts.host ?? '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    self = new FakeApiServer(app, `http://${opts.host ?? '127.0.0.1'}:${port}`, opts);
    return self;
  }

  /** Current resourceVersion (the last one assigned). */
  get resourceVersion(): string { return String(this.rv); }

  /** Number of watch streams opened so far (including ones answered 410). */
  get watchCount(): number { return this.watchOpens; }

  openWatchCount(): number { return this.watchers.size; }

  /** Resolves once `n` watch requests have been received in total. */
  waitForWatches(n: number): Promise<void> {
    if (this.watchOpens >= n) return Promise.resolve();
    return new Promise((resolve) => this.watchWaiters.push({ n, resolve }));
  }

  /** Creates or replaces an object, assigning uid/RV; `silent` skips history and watchers. */
  put(ref: ResourceRef, obj: KubeObject, opts: { silent?: boolean } = {}): KubeObject {
    const res = resKey(ref.group, ref.plural);
    const key = keyFor(ref.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name!);
    const existing = this.bucket(res).get(key);
    const stored = clone(obj);
    stored.metadata.uid = existing?.metadata.uid ?? stored.metadata.uid ?? randomUUID();
    stored.metadata.creationTimestamp = existing?.metadata.creationTimestamp ?? new Date().toISOString();
    stored.metadata.resourceVersion = String(++this.rv);
    if (!ref.namespaced) delete stored.metadata.namespace;
    this.bucket(res).set(key, stored);
    if (!opts.silent) this.record(res, existing ? 'MODIFIED' : 'ADDED', stored);
    return clone(stored);
  }

  /** Deletes an object; `silent` skips history and watchers. Returns the removed object. */
  remove(ref: ResourceRef, namespace: string | undefined, name: string, opts: { silent?: boolean } = {}): KubeObject | undefined {
    const res = resKey(ref.group, ref.plural);
    const key = keyFor(ref.namespaced ? namespace : undefined, name);
    const existing = this.bucket(res).get(key);
    if (!existing) return undefined;
    this.bucket(res).delete(key);
    const gone = clone(existing);
    gone.metadata.resourceVersion = String(++this.rv);
    if (!opts.silent) this.record(res, 'DELETED', gone);
    return clone(gone);
  }

  getObject(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(resKey(ref.group, ref.plural)).get(keyFor(ref.namespaced ? namespace : undefined, name));
    return o && clone(o);
  }

  /** Forgets history up to now: watches from an older resourceVersion get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Ends every open watch stream normally (as a server-side timeout would). */
  closeWatches(): void {
    for (const w of [...this.watchers]) this.endWatch(w);
  }

  /** Sends a BOOKMARK at the current resourceVersion to watches with allowWatchBookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (w.query.allowWatchBookmarks !== 'true') continue;
      writeEvent(w.raw, 'BOOKMARK', { metadata: { resourceVersion: String(this.rv) } });
    }
  }

  /** Adds an interceptor, consulted before routing; `times` limits how often it may fire. */
  intercept(fn: Interceptor, times = Infinity): () => void {
    const entry = { fn, times };
    this.interceptors.push(entry);
    return () => {
      const i = this.interceptors.indexOf(entry);
      if (i >= 0) this.interceptors.splice(i, 1);
    };
  }

  async close(): Promise<void> {
    this.closeWatches();
    await this.app.close();
  }

  // ---- request handling ----------------------------------------------------------------------

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const u = new URL(req.url, 'http://x');
    const rec: RecordedRequest = {
      method: req.method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: { ...req.headers },
    };
    this.requests.push(rec);
    for (const ic of this.interceptors) {
      if (ic.times <= 0) continue;
      const r = ic.fn(rec);
      if (!r) continue;
      ic.times--;
      if (rec.query.watch === 'true' || rec.query.watch === '1') this.countWatch();
      reply.code(r.status).header('content-type', r.contentType ?? 'application/json');
      return reply.send(r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    }
    const t = parseTarget(u.pathname);
    if (!t) return this.fail(reply, Errors.resourceNotFound('the server could not find the requested resource').status);
    const res = resKey(t.group, t.plural);
    const qr = qualifiedResource({ group: t.group, version: t.version, plural: t.plural, namespaced: !!t.namespace });
    const body = typeof req.body === 'string' && req.body ? safeJson(req.body) : undefined;
    const key = t.name ? keyFor(t.namespace, t.name) : undefined;

    switch (req.method) {
      case 'GET': {
        if (!key) {
          if (rec.query.watch === 'true' || rec.query.watch === '1') return this.watch(res, t, rec.query, reply);
          return this.list(res, t, rec.query, reply);
        }
        const obj = this.bucket(res).get(key);
        if (!obj) return this.fail(reply, Errors.notFound(qr, t.name!).status);
        return reply.send(obj);
      }
      case 'POST': {
        if (key || !isObj(body)) return this.fail(reply, Errors.badRequest('expected an object body').status);
        const obj = body as KubeObject;
        obj.metadata ??= {};
        if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomUUID().slice(0, 5);
        if (!obj.metadata.name) return this.fail(reply, Errors.invalid(t.plural, '', [{ field: 'metadata.name', message: 'Required value' }]).status);
        if (t.namespace) obj.metadata.namespace = t.namespace;
        if (this.bucket(res).has(keyFor(t.namespace, obj.metadata.name))) {
          return this.fail(reply, Errors.alreadyExists(qr, obj.metadata.name).status);
        }
        delete obj.metadata.resourceVersion;
        return reply.code(201).send(this.put(refOf(t), obj));
      }
      case 'PUT': {
        if (!key || !isObj(body)) return this.fail(reply, Errors.badRequest('expected an object body').status);
        const existing = this.bucket(res).get(key);
        if (!existing) return this.fail(reply, Errors.notFound(qr, t.name!).status);
        const obj = body as KubeObject;
        const sentRv = obj.metadata?.resourceVersion;
        if (sentRv && sentRv !== existing.metadata.resourceVersion) return this.fail(reply, Errors.conflict(qr, t.name!).status);
        const next = t.subresource === 'status' ? { ...clone(existing), status: obj.status } : obj;
        next.metadata = { ...next.metadata, name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) };
        return reply.send(this.put(refOf(t), next));
      }
      case 'PATCH': {
        if (!key) return this.fail(reply, Errors.methodNotAllowed().status);
        const ct = String(req.headers['content-type'] ?? '');
        if (!ct.startsWith('application/merge-patch+json') && !ct.startsWith('application/strategic-merge-patch+json')) {
          return this.fail(reply, Errors.unsupportedMediaType(ct).status);
        }
        const existing = this.bucket(res).get(key);
        if (!existing) return this.fail(reply, Errors.notFound(qr, t.name!).status);
        const merged = mergePatch(clone(existing), body) as KubeObject;
        return reply.send(this.put(refOf(t), merged));
      }
      case 'DELETE': {
        if (!key) return this.fail(reply, Errors.methodNotAllowed().status);
        const gone = this.remove(refOf(t), t.namespace, t.name!);
        if (!gone) return this.fail(reply, Errors.notFound(qr, t.name!).status);
        return reply.send(gone);
      }
      default:
        return this.fail(reply, Errors.methodNotAllowed().status);
    }
  }

  private list(res: string, t: Target, q: Record<string, string>, reply: FastifyReply): void {
    let listRv = this.rv;
    let after: string | undefined;
    if (q.continue) {
      const tok = decodeContinue(q.continue);
      if (!tok) return this.fail(reply, Errors.badRequest('invalid continue token').status);
      if (tok.rv < this.compactedRv) return this.fail(reply, Errors.expired('The provided continue parameter is too old to display a consistent list result.').status);
      listRv = tok.rv;
      after = tok.after;
    }
    const all = this.matching(res, t.namespace, q).filter(([k]) => after === undefined || k > after);
    const limit = q.limit ? Number(q.limit) : 0;
    const page = limit > 0 ? all.slice(0, limit) : all;
    const more = limit > 0 && all.length > limit;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (more) {
      metadata.continue = encodeContinue({ rv: listRv, after: page[page.length - 1]![0] });
      metadata.remainingItemCount = all.length - page.length;
    }
    reply.send({ kind: 'List', apiVersion: 'v1', metadata, items: page.map(([, o]) => o) });
  }

  private watch(res: string, t: Target, q: Record<string, string>, reply: FastifyReply): void {
    this.countWatch();
    const fromRv = q.resourceVersion && q.resourceVersion !== '0' ? Number(q.resourceVersion) : undefined;
    const expired = fromRv !== undefined && (!Number.isFinite(fromRv) || fromRv < this.compactedRv);
    const expiredStatus = Errors.expired(`too old resource version: ${q.resourceVersion} (${this.compactedRv})`).status;
    if (expired && this.expiredAs === 'http') return this.fail(reply, expiredStatus);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' });
    if (expired) {
      writeEvent(raw, 'ERROR', expiredStatus);
      raw.end();
      return;
    }
    const w: Watcher = { res, query: q, raw, ...(t.namespace ? { namespace: t.namespace } : {}) };
    if (fromRv === undefined) {
      for (const [, o] of this.matching(res, t.namespace, q)) writeEvent(raw, 'ADDED', o);
    } else {
      for (const h of this.history) {
        if (h.rv > fromRv && h.res === res && matches(h.obj, t.namespace, q)) writeEvent(raw, h.type, h.obj);
      }
    }
    const timeout = Number(q.timeoutSeconds);
    if (timeout > 0) w.timer = setTimeout(() => this.endWatch(w), timeout * 1000);
    raw.on('close', () => this.dropWatch(w));
    this.watchers.add(w);
  }

  private record(res: string, type: WatchEventType, obj: KubeObject): void {
    const entry: HistoryEntry = { rv: this.rv, res, type, obj: clone(obj) };
    this.history.push(entry);
    for (const w of this.watchers) {
      if (w.res === res && matches(obj, w.namespace, w.query)) writeEvent(w.raw, type, obj);
    }
  }

  private matching(res: string, namespace: string | undefined, q: Record<string, string>): [string, KubeObject][] {
    return [...this.bucket(res)].filter(([, o]) => matches(o, namespace, q)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private bucket(res: string): Map<string, KubeObject> {
    let b = this.store.get(res);
    if (!b) this.store.set(res, (b = new Map()));
    return b;
  }

  private countWatch(): void {
    this.watchOpens++;
    for (const w of [...this.watchWaiters]) {
      if (this.watchOpens >= w.n) {
        this.watchWaiters.splice(this.watchWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  private endWatch(w: Watcher): void {
    this.dropWatch(w);
    if (!w.raw.writableEnded) w.raw.end();
  }

  private dropWatch(w: Watcher): void {
    if (w.timer) clearTimeout(w.timer);
    this.watchers.delete(w);
  }

  private fail(reply: FastifyReply, status: Status): void {
    reply.code(status.code).header('content-type', 'application/json').send(JSON.stringify(status));
  }
}

// ---- helpers -------------------------------------------------------------------------------

function resKey(group: string, plural: string): string { return `${group}/${plural}`; }

function refOf(t: Target): ResourceRef {
  return { group: t.group, version: t.version, plural: t.plural, namespaced: t.namespace !== undefined };
}

function parseTarget(path: string): Target | undefined {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) [group, version, rest] = ['', seg[1]!, seg.slice(2)];
  else if (seg[0] === 'apis' && seg.length >= 4) [group, version, rest] = [seg[1]!, seg[2]!, seg.slice(3)];
  else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const t: Target = { group, version, plural: rest[0]! };
  if (namespace !== undefined) t.namespace = namespace;
  if (rest[1] !== undefined) t.name = rest[1];
  if (rest[2] !== undefined) t.subresource = rest[2];
  return t;
}

function matches(o: KubeObject, namespace: string | undefined, q: Record<string, string>): boolean {
  if (namespace && o.metadata.namespace !== namespace) return false;
  if (q.labelSelector) {
    const labels = o.metadata.labels ?? {};
    for (const term of q.labelSelector.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!m) {
        if (term.startsWith('!') ? term.slice(1) in labels : !(term in labels)) return false;
        continue;
      }
      const [, k, op, v] = m;
      if (op === '!=' ? labels[k!] === v : labels[k!] !== v) return false;
    }
  }
  if (q.fieldSelector) {
    for (const term of q.fieldSelector.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term);
      if (!m) return false;
      const [, f, op, v] = m;
      const actual = f === 'metadata.name' ? o.metadata.name : f === 'metadata.namespace' ? o.metadata.namespace : undefined;
      if (op === '!=' ? actual === v : actual !== v) return false;
    }
  }
  return true;
}

function writeEvent(raw: ServerResponse, type: WatchEventType, object: unknown): void {
  if (!raw.writableEnded) raw.write(JSON.stringify({ type, object }) + '\n');
}

function encodeContinue(t: { rv: number; after: string }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): { rv: number; after: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return typeof v?.rv === 'number' && typeof v?.after === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

