// The apiserver's only door to etcd. Thin wrappers over etcd3's raw KV RPCs (range, txn)
// with per-call deadlines and error mapping to Status errors: an unreachable etcd becomes a
// 503 ServiceUnavailable (or 504 Timeout), a compacted revision a 410 Expired, a write
// over etcd's request limit a 413. Reads are paged (bounded work per call; gRPC's 4 MiB
// receive cap is lifted, since one page of large objects can exceed it).
import { Etcd3, type IKeyValue, type IRangeResponse, type ITxnRequest, type ITxnResponse } from 'etcd3';
import { ExponentialBackoff, noop, type IBackoff } from 'cockatiel';
import { Errors, isStatusError } from '@k8ts/shared';
import { EtcdGatewayKV } from './etcd-gateway.js';
import { EtcdGrpcKV } from './etcd-grpc-kv.js';

export type KV = IKeyValue;

export interface EtcdOptions {
  endpoints: string[];
  /** deadline for unary calls; watches are not bounded */
  callTimeoutMs?: number;
  /**
   * How KV calls (gets, lists, transactions) reach etcd: 'lean' (default; our own unary
   * gRPC over node:http2, see etcd-grpc-kv.ts for why), 'gateway' (etcd's JSON gateway over
   * HTTP/1.1 for gets and transactions, lists on etcd3) or 'grpc' (etcd3/grpc-js for all).
   * Env K8TS_ETCD_KV overrides. Watches always use etcd3.
   */
  kvTransport?: 'lean' | 'gateway' | 'grpc';
}

type KvBackend = Pick<Etcd3['kv'], 'range' | 'txn'>;
/**
 * The backends of each client made by connectEtcd: `small` for single-key gets and
 * transactions, `lists` for multi-key ranges; absent → the client's own etcd3 kv. (The
 * gateway's base64 JSON makes a 10,000-object page several times slower to decode, so with
 * it lists stay on etcd3.)
 */
const kvBackends = new WeakMap<Etcd3, { small: KvBackend; lists: KvBackend }>();
const kv = (client: Etcd3): KvBackend => kvBackends.get(client)?.small ?? client.kv;
const listKv = (client: Etcd3): KvBackend => kvBackends.get(client)?.lists ?? client.kv;

export function connectEtcd(opts: EtcdOptions): Etcd3 {
  const timeout = opts.callTimeoutMs ?? 5000;
  const client = newEtcd3(opts, timeout);
  const transport = (process.env.K8TS_ETCD_KV as EtcdOptions['kvTransport']) ?? opts.kvTransport ?? 'lean';
  if (transport !== 'grpc' && /^http:\/\//.test(opts.endpoints[0] ?? '')) {
    const backend = transport === 'gateway' ? new EtcdGatewayKV(opts.endpoints[0]!, timeout) : new EtcdGrpcKV(opts.endpoints[0]!, timeout);
    const small = backend as unknown as KvBackend;
    kvBackends.set(client, { small, lists: transport === 'gateway' ? client.kv : small });
    const close = client.close.bind(client);
    client.close = () => { void backend.close().catch(() => undefined); close(); };
  }
  return client;
}

function newEtcd3(opts: EtcdOptions, timeout: number): Etcd3 {
  return new Etcd3({
    hosts: opts.endpoints,
    dialTimeout: 3000,
    // A page of up to 1000 objects of up to ~1.5 MiB each (etcd's request limit) exceeds
    // gRPC's default 4 MiB receive cap, which would make every list of a few large
    // ConfigMaps/Secrets fail; like upstream (MaxCallRecvMsgSize = MaxInt32), lift it.
    grpcOptions: { 'grpc.max_receive_message_length': 2 ** 31 - 1 },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    // No client-side retry or circuit breaker: a failed call becomes a 503 at once, and the
    // next request tries etcd again, so the server recovers as soon as etcd is back.
    faultHandling: {
      global: noop, host: () => noop,
      // Watch streams reconnect by themselves; cap the backoff (etcd3's default grows to
      // 30 s) so the watch caches catch up within ~2 s of etcd coming back, and so that
      // pending reconnect timers never hold a closing process for long.
      // (etcd3 declares an IBackoff but uses it as a factory, like its own default)
      watchBackoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }) as unknown as IBackoff<unknown>,
    },
  });
}

/** Maps anything thrown by etcd3 to a StatusError, passing StatusErrors through. */
export function mapEtcdError(err: unknown): Error {
  if (isStatusError(err)) return err;
  const e = err as { name?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (/compacted|Watcher canceled/i.test(msg)) return Errors.expired(`too old resource version: ${msg}`);
  // etcd refuses writes over its request limit (--max-request-bytes, 1.5 MiB by default):
  // the object is too large to store, a client error as upstream maps it (413)
  if (/request is too large|RESOURCE_EXHAUSTED|message larger than max/i.test(msg)) return Errors.tooLarge(`Request entity too large: the object is too large to be stored (${msg})`);
  if (e?.name === 'GRPCDeadlineExceededError' || /deadline|HeadersTimeout|BodyTimeout|Headers Timeout|Body Timeout/i.test(msg + (e?.name ?? ''))) return Errors.timeout(`etcd did not answer in time: ${msg}`);
  if (/unavailable|ECONNREFUSED|ECONNRESET|connect|No connection|not available|GRPCConnectFailed|closed|SocketError|other side closed/i.test(msg + (e?.name ?? '') + ((err as { code?: string })?.code ?? ''))) {
    return Errors.unavailable(`storage is unavailable (etcd): ${msg}`);
  }
  return Errors.internal(`storage error: ${msg}`);
}

export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) { throw mapEtcdError(err); }
}

/** The key just past every key that starts with prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) { const out = Buffer.from(b.subarray(0, i + 1)); out[i]! += 1; return out; }
  }
  return Buffer.from([0]);
}

export interface RangePage { kvs: KV[]; more: boolean; revision: string; }

/**
 * One page of a prefix range starting at `fromKey` (inclusive), read at `revision`
 * ('0' = latest). A compacted revision throws 410 Expired. `revision` in the answer is the
 * revision the page was read at.
 */
export async function rangePage(client: Etcd3, prefix: string, fromKey: string | Buffer, limit: number, revision = '0'): Promise<RangePage> {
  const res: IRangeResponse = await call(() => listKv(client).range({
    key: Buffer.from(fromKey), range_end: prefixEnd(prefix), limit: String(limit), revision,
  }));
  // etcd's header.revision is always the store's current revision, even for a read at an
  // older one: report the revision actually read, so that paged reads (continue tokens,
  // rangeAll) stay on one consistent snapshot instead of drifting to "now" after page one.
  return { kvs: res.kvs, more: res.more, revision: revision !== '0' ? revision : res.header.revision };
}

/** Every key under prefix at one revision, paged. Returns the revision read. */
export async function rangeAll(client: Etcd3, prefix: string, pageSize = 1000): Promise<{ kvs: KV[]; revision: string }> {
  let from: Buffer = Buffer.from(prefix);
  let revision = '0';
  const out: KV[] = [];
  for (;;) {
    const page = await rangePage(client, prefix, from, pageSize, revision);
    revision = page.revision;
    for (const kv of page.kvs) out.push(kv);
    if (!page.more || page.kvs.length === 0) return { kvs: out, revision };
    from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]);
  }
}

export async function getKey(client: Etcd3, key: string): Promise<{ kv?: KV; revision: string }> {
  const res = await call(() => kv(client).range({ key: Buffer.from(key) }));
  return { kv: res.kvs[0], revision: res.header.revision };
}

export async function txn(client: Etcd3, req: ITxnRequest): Promise<ITxnResponse> {
  return call(() => kv(client).txn(req));
}

export async function currentRevision(client: Etcd3): Promise<string> {
  const res = await call(() => listKv(client).range({ key: Buffer.from('/registry/'), range_end: prefixEnd('/registry/'), count_only: true }));
  return res.header.revision;
}

/**
 * Cancels an etcd3 watcher without ever blocking the caller for long: etcd3's cancel waits
 * for the server's acknowledgement, which never comes for a watcher etcd already cancelled
 * (compaction) or when the connection is gone.
 */
export async function cancelWatcher(w: { cancel(): Promise<void> } | undefined, timeoutMs = 1000): Promise<void> {
  if (!w) return;
  let t: NodeJS.Timeout | undefined;
  await Promise.race([
    w.cancel().catch(() => undefined),
    new Promise<void>((r) => { t = setTimeout(r, timeoutMs); t.unref(); }),
  ]);
  if (t) clearTimeout(t);
}
