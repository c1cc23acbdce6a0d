// Hand-written protobuf encoding of etcd's KV messages (etcdserverpb RangeRequest/Response,
// TxnRequest/Response and what they nest: Compare, RequestOp/ResponseOp, Put/DeleteRange,
// ResponseHeader, mvccpb.KeyValue), for the lean gRPC client in etcd-grpc-kv.ts.
//
// Contract:
// - Inputs and outputs have the shapes etcd3 uses (Buffers for bytes, int64 as decimal
//   strings, enum names 'Create'/'Equal'... or their numbers), so callers cannot tell this
//   from etcd3's protobufjs codec.
// - int64 fields are read as JS numbers (exact below 2^53: revisions, versions, counts,
//   leases); the header's uint64 ids (cluster_id, member_id, raft_term) via BigInt, exact.
// - proto3 defaults: zero/empty fields are not written, and absent fields decode to their
//   default ('0', empty Buffer, false, []).
// - Unknown fields are skipped. Not handled: nested TxnRequest in a RequestOp (request_txn),
//   range sort options, min/max revision filters (the apiserver never sends them).
import type { IKeyValue, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';

type Json = Record<string, any>;

const COMPARE_TARGET: Record<string, number> = { Version: 0, Create: 1, Mod: 2, Value: 3, Lease: 4, VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 };
const COMPARE_RESULT: Record<string, number> = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3, EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 };
const EMPTY = Buffer.alloc(0);

// ------------------------------------------------------------------ writer

/** A growable buffer with nested length-delimited messages (fork … ldelim). */
export class PbWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly forks: number[] = [];

  constructor(initial = 512) { this.buf = Buffer.allocUnsafe(initial); }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 64));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** non-negative integer below 2^53 */
  varint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    while (v >= 0x80) { b[this.pos++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
    b[this.pos++] = v;
  }

  private tag(field: number, wire: number): void { this.varint(field * 8 + wire); }

  /** bytes field; empty is the default and not written unless `always` (a oneof member) */
  bytes(field: number, v: Buffer | string | undefined, always = false): void {
    if (v === undefined) return;
    const n = typeof v === 'string' ? Buffer.byteLength(v) : v.length;
    if (n === 0 && !always) return;
    this.tag(field, 2);
    this.varint(n);
    this.ensure(n);
    if (typeof v === 'string') this.buf.write(v, this.pos); else v.copy(this.buf, this.pos);
    this.pos += n;
  }

  /** int64 given as a number or decimal string; 0 is the default and not written unless `always` */
  int64(field: number, v: string | number | undefined, always = false): void {
    if (v === undefined) return;
    const n = Number(v);
    if (!n && !always) return;
    if (n < 0 || !Number.isSafeInteger(n)) throw new Error(`etcd kv: int64 field ${field} out of range: ${v}`);
    this.tag(field, 0);
    this.varint(n);
  }

  enumValue(field: number, v: number): void { if (v) { this.tag(field, 0); this.varint(v); } }

  bool(field: number, v: boolean | undefined): void { if (v) { this.tag(field, 0); this.varint(1); } }

  fork(field: number): void { this.tag(field, 2); this.forks.push(this.pos); }

  ldelim(): void {
    const start = this.forks.pop()!;
    const len = this.pos - start;
    let size = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    this.ensure(size);
    this.buf.copyWithin(start + size, start, this.pos);
    const end = this.pos + size;
    this.pos = start;
    this.varint(len);
    this.pos = end;
  }

  /** The message framed for gRPC: 1 byte "not compressed", 4 bytes big-endian length, message. */
  static grpcFrame(write: (w: PbWriter) => void): Buffer {
    const w = new PbWriter();
    w.pos = 5;
    write(w);
    w.buf[0] = 0;
    w.buf.writeUInt32BE(w.pos - 5, 1);
    return w.buf.subarray(0, w.pos);
  }
}

function enumOf(v: unknown, names: Record<string, number>): number {
  if (typeof v === 'number') return v;
  const n = names[String(v)];
  if (n === undefined) throw new Error(`etcd kv: unknown enum value ${String(v)}`);
  return n;
}

export function writeRangeRequest(w: PbWriter, r: Json): void {
  w.bytes(1, r.key);
  w.bytes(2, r.range_end);
  w.int64(3, r.limit);
  w.int64(4, r.revision);
  w.bool(7, r.serializable);
  w.bool(8, r.keys_only);
  w.bool(9, r.count_only);
  if (r.sort_order || r.sort_target || r.min_mod_revision || r.max_mod_revision || r.min_create_revision || r.max_create_revision) {
    throw new Error('etcd kv: range sort/revision filters are not supported');
  }
}

function writeCompare(w: PbWriter, c: Json): void {
  w.enumValue(1, enumOf(c.result, COMPARE_RESULT));
  w.enumValue(2, enumOf(c.target, COMPARE_TARGET));
  w.bytes(3, c.key);
  // oneof target_union: the set member is written even when zero (proto3 oneof semantics)
  w.int64(4, c.version, true);
  w.int64(5, c.create_revision, true);
  w.int64(6, c.mod_revision, true);
  w.bytes(7, c.value, true);
  w.int64(8, c.lease, true);
  w.bytes(64, c.range_end);
}

function writeRequestOp(w: PbWriter, op: Json): void {
  if (op.request_range) {
    w.fork(1); writeRangeRequest(w, op.request_range); w.ldelim();
  } else if (op.request_put) {
    const p = op.request_put;
    w.fork(2);
    w.bytes(1, p.key); w.bytes(2, p.value); w.int64(3, p.lease); w.bool(4, p.prev_kv); w.bool(5, p.ignore_value); w.bool(6, p.ignore_lease);
    w.ldelim();
  } else if (op.request_delete_range) {
    const d = op.request_delete_range;
    w.fork(3); w.bytes(1, d.key); w.bytes(2, d.range_end); w.bool(3, d.prev_kv); w.ldelim();
  } else {
    throw new Error(`etcd kv: unsupported txn op ${Object.keys(op).join(',')}`);
  }
}

export function writeTxnRequest(w: PbWriter, t: ITxnRequest): void {
  for (const c of t.compare ?? []) { w.fork(1); writeCompare(w, c as Json); w.ldelim(); }
  for (const op of t.success ?? []) { w.fork(2); writeRequestOp(w, op as Json); w.ldelim(); }
  for (const op of t.failure ?? []) { w.fork(3); writeRequestOp(w, op as Json); w.ldelim(); }
}

// ------------------------------------------------------------------ reader

class PbReader {
  pos: number;
  constructor(readonly buf: Buffer, start: number, readonly end: number) { this.pos = start; }

  varint(): number {
    const b = this.buf;
    let byte = b[this.pos++]!;
    if (byte < 0x80) return byte;
    let x = byte & 0x7f;
    let mul = 0x80;
    for (;;) {
      if (this.pos >= this.end) throw new Error('etcd kv: truncated varint');
      byte = b[this.pos++]!;
      x += (byte & 0x7f) * mul;
      if (byte < 0x80) return x;
      mul *= 0x80;
    }
  }

  /** uint64 as an exact decimal string */
  varintString(): string {
    const b = this.buf;
    let x = 0n;
    let shift = 0n;
    for (;;) {
      const byte = b[this.pos++]!;
      x |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return x.toString();
      shift += 7n;
    }
  }

  /** a length-delimited field's [start, end) */
  delimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.end) throw new Error('etcd kv: truncated message');
    return [start, this.pos];
  }

  bytes(): Buffer { const [s, e] = this.delimited(); return this.buf.subarray(s, e); }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.delimited();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`etcd kv: unsupported wire type ${wire}`);
  }

  sub(): PbReader { const [s, e] = this.delimited(); return new PbReader(this.buf, s, e); }
}

function readHeader(r: PbReader): Json {
  const h: Json = { cluster_id: '0', member_id: '0', revision: '0', raft_term: '0' };
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case 8: h.cluster_id = r.varintString(); break;
      case 16: h.member_id = r.varintString(); break;
      case 24: h.revision = String(r.varint()); break;
      case 32: h.raft_term = r.varintString(); break;
      default: r.skip(tag & 7);
    }
  }
  return h;
}

function readKeyValue(r: PbReader): IKeyValue {
  let key: Buffer = EMPTY; let value: Buffer = EMPTY;
  let create = 0; let mod = 0; let version = 0; let lease = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case 10: key = r.bytes(); break;
      case 16: create = r.varint(); break;
      case 24: mod = r.varint(); break;
      case 32: version = r.varint(); break;
      case 42: value = r.bytes(); break;
      case 48: lease = r.varint(); break;
      default: r.skip(tag & 7);
    }
  }
  return { key, value, create_revision: String(create), mod_revision: String(mod), version: String(version), lease: String(lease) } as IKeyValue;
}

function readRangeResponse(r: PbReader): IRangeResponse {
  let header: Json = {};
  const kvs: IKeyValue[] = [];
  let more = false; let count = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case 10: header = readHeader(r.sub()); break;
      case 18: kvs.push(readKeyValue(r.sub())); break;
      case 24: more = r.varint() !== 0; break;
      case 32: count = r.varint(); break;
      default: r.skip(tag & 7);
    }
  }
  return { header, kvs, more, count: String(count) } as IRangeResponse;
}

function readPutResponse(r: PbReader): Json {
  const out: Json = { header: {} };
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 10) out.header = readHeader(r.sub());
    else if (tag === 18) out.prev_kv = readKeyValue(r.sub());
    else r.skip(tag & 7);
  }
  return out;
}

function readDeleteRangeResponse(r: PbReader): Json {
  const out: Json = { header: {}, deleted: '0', prev_kvs: [] };
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 10) out.header = readHeader(r.sub());
    else if (tag === 16) out.deleted = String(r.varint());
    else if (tag === 26) out.prev_kvs.push(readKeyValue(r.sub()));
    else r.skip(tag & 7);
  }
  return out;
}

function readResponseOp(r: PbReader): Json {
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case 10: return { response_range: readRangeResponse(r.sub()) };
      case 18: return { response_put: readPutResponse(r.sub()) };
      case 26: return { response_delete_range: readDeleteRangeResponse(r.sub()) };
      case 34: return { response_txn: readTxn(r.sub()) };
      default: r.skip(tag & 7);
    }
  }
  return {};
}

function readTxn(r: PbReader): ITxnResponse {
  let header: Json = {};
  let succeeded = false;
  const responses: Json[] = [];
  while (r.pos < r.end) {
    const tag = r.varint();
    switch (tag) {
      case 10: header = readHeader(r.sub()); break;
      case 16: succeeded = r.varint() !== 0; break;
      case 26: responses.push(readResponseOp(r.sub())); break;
      default: r.skip(tag & 7);
    }
  }
  return { header, succeeded, responses } as unknown as ITxnResponse;
}

export function readRangeResponseMessage(buf: Buffer): IRangeResponse { return readRangeResponse(new PbReader(buf, 0, buf.length)); }
export function readTxnResponseMessage(buf: Buffer): ITxnResponse { return readTxn(new PbReader(buf, 0, buf.length)); }
export type { IRangeRequest };
