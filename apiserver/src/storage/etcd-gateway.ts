// etcd's KV RPCs (Range, Txn) over etcd's own v3 JSON gateway (`POST /v3/kv/range`,
// `/v3/kv/txn`) on a keep-alive HTTP/1.1 pool, instead of gRPC.
//
// Not the default any more (K8TS_ETCD_KV=gateway selects it; the default is etcd-grpc-kv.ts):
// one Txn costs the calling Node process ~0.23 ms of CPU this way against ~0.43–0.66 ms
// through etcd3/grpc-js, but etcd's gateway costs etcd ~0.5 ms more per request (it
// re-marshals JSON and proxies to its own gRPC server). Watches stay on gRPC (etcd3).
//
// Contract:
// - range()/txn() take and return the same shapes as etcd3's `client.kv.range/txn`
//   (Buffers for keys and values, int64 as decimal strings, enum names as etcd3 spells them)
//   so callers cannot tell the two apart; fields the gateway omits as defaults are filled in
//   (kvs [], more false, succeeded false, count '0', value empty).
// - Errors: a non-2xx answer throws an Error whose message is etcd's (e.g. "etcdserver: mvcc:
//   required revision has been compacted"), and transport failures throw undici's error;
//   storage/etcd.ts maps both to Status errors by message, as it does for gRPC errors.
// - Every call is bounded by `timeoutMs` (headers and body).
// - Only the first endpoint is used (k8ts runs one etcd); not handled: TLS to etcd.
import { Pool } from 'undici';
import type { IKeyValue, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';

const TARGETS = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'];
const RESULTS = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];
const ENUM_NAMES: Record<string, string> = {
  Version: 'VERSION', Create: 'CREATE', Mod: 'MOD', Value: 'VALUE', Lease: 'LEASE',
  Equal: 'EQUAL', Greater: 'GREATER', Less: 'LESS', NotEqual: 'NOT_EQUAL',
};

type Json = Record<string, any>;

export class EtcdGatewayKV {
  private readonly pool: Pool;

  constructor(endpoint: string, private readonly timeoutMs = 5000, connections = 64) {
    this.pool = new Pool(endpoint, {
      connections, pipelining: 1, keepAliveTimeout: 30_000,
      headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: 3000,
    });
  }

  async range(req: IRangeRequest): Promise<IRangeResponse> {
    const body: Json = { key: b64(req.key) };
    if (req.range_end !== undefined) body.range_end = b64(req.range_end);
    if (req.limit !== undefined && String(req.limit) !== '0') body.limit = String(req.limit);
    if (req.revision !== undefined && String(req.revision) !== '0') body.revision = String(req.revision);
    if (req.count_only) body.count_only = true;
    if (req.keys_only) body.keys_only = true;
    return rangeResponse(await this.post('/v3/kv/range', body));
  }

  async txn(req: ITxnRequest): Promise<ITxnResponse> {
    const body: Json = {
      compare: (req.compare ?? []).map(compareJson),
      success: (req.success ?? []).map(opJson),
      failure: (req.failure ?? []).map(opJson),
    };
    const res = await this.post('/v3/kv/txn', body);
    return {
      header: res.header,
      succeeded: res.succeeded === true,
      responses: (res.responses ?? []).map((r: Json) => {
        if (r.response_range) return { response_range: rangeResponse(r.response_range) };
        if (r.response_put) return { response_put: { header: r.response_put.header, prev_kv: r.response_put.prev_kv && kv(r.response_put.prev_kv) } };
        if (r.response_delete_range) {
          const d = r.response_delete_range;
          return { response_delete_range: { header: d.header, deleted: d.deleted ?? '0', prev_kvs: (d.prev_kvs ?? []).map(kv) } };
        }
        return r;
      }),
    } as unknown as ITxnResponse;
  }

  close(): Promise<void> { return this.pool.close(); }

  private async post(path: string, body: Json): Promise<Json> {
    const res = await this.pool.request({
      method: 'POST', path, body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
    });
    const json = (await res.body.json()) as Json;
    if (res.statusCode !== 200) {
      throw Object.assign(new Error(String(json.message ?? json.error ?? `etcd gateway answered ${res.statusCode}`)), { code: json.code });
    }
    return json;
  }
}

function b64(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return Buffer.from(String(v)).toString('base64');
}

function enumName(v: unknown, names: string[]): string {
  if (typeof v === 'number') return names[v]!;
  return ENUM_NAMES[String(v)] ?? String(v).toUpperCase();
}

function compareJson(c: Json): Json {
  const out: Json = { key: b64(c.key), target: enumName(c.target, TARGETS), result: enumName(c.result, RESULTS) };
  if (c.range_end !== undefined) out.range_end = b64(c.range_end);
  for (const f of ['version', 'create_revision', 'mod_revision', 'lease']) if (c[f] !== undefined) out[f] = String(c[f]);
  if (c.value !== undefined) out.value = b64(c.value);
  return out;
}

function opJson(op: Json): Json {
  if (op.request_put) {
    const p = op.request_put;
    const out: Json = { key: b64(p.key), value: b64(p.value ?? Buffer.alloc(0)) };
    if (p.prev_kv) out.prev_kv = true;
    if (p.lease !== undefined) out.lease = String(p.lease);
    return { request_put: out };
  }
  if (op.request_delete_range) {
    const d = op.request_delete_range;
    const out: Json = { key: b64(d.key) };
    if (d.range_end !== undefined) out.range_end = b64(d.range_end);
    if (d.prev_kv) out.prev_kv = true;
    return { request_delete_range: out };
  }
  if (op.request_range) {
    const r = op.request_range;
    const out: Json = { key: b64(r.key) };
    if (r.range_end !== undefined) out.range_end = b64(r.range_end);
    if (r.limit !== undefined) out.limit = String(r.limit);
    if (r.count_only) out.count_only = true;
    return { request_range: out };
  }
  throw new Error(`etcd gateway: unsupported txn op ${Object.keys(op).join(',')}`);
}

function kv(k: Json): IKeyValue {
  return {
    key: Buffer.from(k.key ?? '', 'base64'),
    value: Buffer.from(k.value ?? '', 'base64'),
    create_revision: k.create_revision ?? '0',
    mod_revision: k.mod_revision ?? '0',
    version: k.version ?? '0',
    lease: k.lease ?? '0',
  } as IKeyValue;
}

function rangeResponse(r: Json): IRangeResponse {
  return { header: r.header, kvs: (r.kvs ?? []).map(kv), more: r.more === true, count: r.count ?? '0' } as IRangeResponse;
}
