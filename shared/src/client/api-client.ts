// ApiClient: typed REST access to the k8ts API server over undici (keep-alive; requests share a
// bounded pool of connections, each watch has one of its own;
// TLS with CA / client certificate, bearer token).
//
// Contract:
// - Every non-2xx response throws a StatusError carrying the server's metav1.Status (or a
//   synthesized one, see response-errors.ts); transport failures throw 503 ServiceUnavailable.
// - A request aborted through its `signal` rejects with the abort error, not a StatusError.
// - watch() is lazy: the HTTP request starts on the first next(). It yields every event
//   (ERROR events included, unchanged) and ends when the server closes the stream or the
//   signal aborts (ending silently). Breaking out of the loop closes the connection.
//   Watch bodies have no idle timeout; the server's timeoutSeconds bounds them.
// - Non-watch requests time out after requestTimeoutMs (headers, and between body chunks).
// - Not handled: retries (callers decide), Warning headers, protobuf, exec/attach streams.
import { createSecureContext } from 'node:tls';
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { DeleteOptions, KubeList, KubeObject, Status, WatchEvent } from '../api/meta.js';
import { Errors, isStatusError } from '../errors.js';
import type { ClusterConnection } from '../kubeconfig.js';
import { resourcePath, withQuery } from './paths.js';
import type { ResourceRef } from './resources.js';
import { networkError, statusErrorFromResponse } from './response-errors.js';
import { decodeWatchStream } from './watch-decoder.js';

export interface ApiClientOptions {
  userAgent?: string;
  /** Timeout for non-watch requests in ms; default 30 000. */
  requestTimeoutMs?: number;
  /** Use this dispatcher instead of creating an Agent (the client will not close it). */
  dispatcher?: Dispatcher;
  /** Connections for requests other than watches (watches have their own, one each); default
   *  8, at least 1. Over HTTP/1.1 this bounds requests in flight: a burst waits for a free connection
   *  instead of opening one TLS connection per request (see the constructor). */
  maxConnections?: number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  signal?: AbortSignal;
}

export interface WatchOptions {
  namespace?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  signal?: AbortSignal;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Content-Type for the body; default application/json. */
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

const DEFAULT_UA = `k8ts/0.1.0 (${process.platform}/${process.arch})`;

export class ApiClient {
  readonly server: string;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly watchDispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly baseHeaders: Record<string, string>;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(readonly connection: ClusterConnection, opts: ApiClientOptions = {}) {
    const u = new URL(connection.server);
    this.server = connection.server;
    this.origin = u.origin;
    this.prefix = u.pathname.replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.baseHeaders = { accept: 'application/json', 'user-agent': opts.userAgent ?? DEFAULT_UA };
    if (connection.token) this.baseHeaders.authorization = `Bearer ${connection.token}`;
    if (opts.dispatcher) {
      this.dispatcher = this.watchDispatcher = opts.dispatcher;
      this.ownsDispatcher = false;
    } else {
      // One SecureContext for every connection: given ca/cert/key instead, each new connection
      // parsed them again (a burst of requests opening connections spent ~20% of the scheduler's
      // CPU there, CPU profile during bench:pods).
      const tls: Record<string, unknown> = {
        rejectUnauthorized: !connection.insecure,
        secureContext: createSecureContext({
          ...(connection.ca ? { ca: connection.ca } : {}),
          ...(connection.cert ? { cert: connection.cert } : {}),
          ...(connection.key ? { key: connection.key } : {}),
        }),
      };
      if (connection.tlsServerName) tls.servername = connection.tlsServerName;
      // Requests share a bounded pool: a new TLS connection costs ~5 ms of CPU on the two sides
      // (measured), and a burst of 30 creates or binds opened 30 of them at once where 8 busy
      // connections already keep the single-threaded API server saturated. Watches hold their
      // connection for their whole life, so they get a pool of their own, unbounded: a bounded
      // one shared with requests could be taken up entirely by watches.
      this.dispatcher = new Agent({ connect: tls, keepAliveTimeout: 30_000, connections: Math.max(1, Math.floor(opts.maxConnections ?? 8)) });
      this.watchDispatcher = new Agent({ connect: tls, keepAliveTimeout: 30_000 });
      this.ownsDispatcher = true;
    }
  }

  /** Destroys the connection pool, aborting open watches. Idempotent. */
  async close(): Promise<void> {
    if (!this.ownsDispatcher || this.closed) return;
    this.closed = true;
    await Promise.all([this.dispatcher.destroy(), this.watchDispatcher.destroy()]);
  }

  /**
   * Raw request. `path` is server-relative (`/api/v1/...`, may contain a query). Objects are
   * sent as JSON; strings/Buffers as-is. Returns parsed JSON for JSON responses, the text
   * otherwise, undefined for an empty body.
   */
  async request<T = unknown>(method: Method, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
    const url = this.origin + this.prefix + withQuery(path, opts.query);
    const headers: Record<string, string> = { ...this.baseHeaders, ...opts.headers };
    let payload: string | Buffer | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      headers['content-type'] = opts.contentType ?? 'application/json';
    }
    const timeout = opts.timeoutMs ?? this.timeoutMs;
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await undiciRequest(url, {
        dispatcher: this.dispatcher, method, headers, body: payload, signal: opts.signal,
        headersTimeout: timeout, bodyTimeout: timeout,
      });
      text = await res.body.text();
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw networkError(method, url, e);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) throw statusErrorFromResponse(res.statusCode, text);
    if (!text) return undefined as T;
    const ct = String(res.headers['content-type'] ?? '');
    if (ct && !ct.includes('json')) return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw Errors.internal(`invalid JSON in response to ${method} ${url}`);
    }
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request('GET', resourcePath(ref, opts.namespace), undefined, {
      query: {
        labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit,
        continue: opts.continue, resourceVersion: opts.resourceVersion,
      },
      signal: opts.signal,
    });
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.request('GET', resourcePath(ref, namespace, name), undefined, { signal });
  }

  /** POST; the namespace is `opts.namespace`, else obj.metadata.namespace. */
  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions & { namespace?: string } = {}): Promise<T> {
    const ns = this.namespaceFor(ref, opts.namespace ?? obj.metadata?.namespace, 'create');
    return this.request('POST', resourcePath(ref, ns), obj, { query: writeQuery(opts), signal: opts.signal });
  }

  /** PUT of the whole object, addressed by its metadata (namespace, name). */
  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(ref, obj, undefined, opts);
  }

  /** PUT to the /status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(ref, obj, 'status', opts);
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef, namespace: string | undefined, name: string, body: unknown,
    type: PatchType = 'merge', subresource?: string, opts: WriteOptions = {},
  ): Promise<T> {
    const ns = this.namespaceFor(ref, namespace, 'patch');
    return this.request('PATCH', resourcePath(ref, ns, name, subresource), body, {
      contentType: PATCH_CONTENT_TYPES[type], query: writeQuery(opts), signal: opts.signal,
    });
  }

  /** POST to a subresource of one object, e.g. pods/{name}/binding or pods/{name}/eviction. */
  async createSubresource<R = unknown>(
    ref: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: unknown, opts: WriteOptions = {},
  ): Promise<R> {
    const ns = this.namespaceFor(ref, namespace, 'create');
    return this.request('POST', resourcePath(ref, ns, name, subresource), body, { query: writeQuery(opts), signal: opts.signal });
  }

  /** DELETE; resolves to the deleted object (or one marked for deletion) or a Success Status. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, options?: DeleteOptions, signal?: AbortSignal): Promise<KubeObject | Status> {
    const ns = this.namespaceFor(ref, namespace, 'delete');
    return this.request('DELETE', resourcePath(ref, ns, name), options, { signal });
  }

  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: WatchOptions = {}, signal?: AbortSignal): AsyncIterable<WatchEvent<T>> {
    return this.watchStream<T>(ref, opts, signal);
  }

  private async *watchStream<T>(ref: ResourceRef, opts: WatchOptions, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    const path = withQuery(resourcePath(ref, opts.namespace), {
      watch: 'true', resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector, allowWatchBookmarks: opts.allowWatchBookmarks, timeoutSeconds: opts.timeoutSeconds,
    });
    const url = this.origin + this.prefix + path;
    if (signal?.aborted) return;
    let res: Dispatcher.ResponseData;
    try {
      res = await undiciRequest(url, {
        dispatcher: this.watchDispatcher, method: 'GET', headers: this.baseHeaders, signal,
        headersTimeout: this.timeoutMs, bodyTimeout: 0,
      });
    } catch (e) {
      if (signal?.aborted) return;
      throw networkError('WATCH', url, e);
    }
    try {
      if (res.statusCode < 200 || res.statusCode >= 300) {
        let text = '';
        try {
          text = await res.body.text();
        } catch {
          // the status code alone still makes a useful error
        }
        throw statusErrorFromResponse(res.statusCode, text);
      }
      try {
        for await (const ev of decodeWatchStream<T>(res.body)) yield ev;
      } catch (e) {
        if (signal?.aborted) return;
        if (isStatusError(e)) throw e;
        throw networkError('WATCH', url, e);
      }
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
  }

  private async put<T extends KubeObject>(ref: ResourceRef, obj: T, subresource: string | undefined, opts: WriteOptions): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw Errors.badRequest(`update of ${ref.plural} requires metadata.name`);
    const ns = this.namespaceFor(ref, obj.metadata.namespace, 'update');
    return this.request('PUT', resourcePath(ref, ns, name, subresource), obj, { query: writeQuery(opts), signal: opts.signal });
  }

  private namespaceFor(ref: ResourceRef, namespace: string | undefined, verb: string): string | undefined {
    if (!ref.namespaced) return undefined;
    if (!namespace) throw Errors.badRequest(`${verb} of namespaced ${ref.plural} requires a namespace`);
    return namespace;
  }
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation };
}
