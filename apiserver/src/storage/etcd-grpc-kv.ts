// etcd's KV RPCs (Range, Txn) as plain gRPC over one node:http2 session, with the messages
// encoded by hand (etcd-kv-proto.ts) — a lean replacement for etcd3/grpc-js on the hot path.
//
// Why: measured on this machine (bench:api, 20,000 creates), etcd3/grpc-js costs the
// apiserver ~0.4–0.6 ms of CPU per Txn (call/channel machinery, protobufjs), and etcd's JSON
// gateway, though cheap for Node, costs etcd itself ~0.5 ms more per request (grpc-gateway
// re-marshals JSON and proxies to its own gRPC server). Unary gRPC straight on http2 streams
// is cheap on both sides.
//
// Contract:
// - range()/txn() take and return the same shapes as etcd3's `client.kv.range/txn`
//   (see etcd-kv-proto.ts), so callers cannot tell the backends apart.
// - Errors: a non-OK grpc-status throws an Error whose message is etcd's grpc-message (e.g.
//   "etcdserver: mvcc: required revision has been compacted") and whose name is etcd3's
//   (GRPCUnavailableError, GRPCDeadlineExceededError...), so storage/etcd.ts maps it to a
//   Status error exactly as it maps etcd3's; transport failures throw node's error
//   (ECONNREFUSED, ERR_HTTP2_*) which map to 503.
// - Every call is bounded by `timeoutMs` (sent to etcd as grpc-timeout as well); a call that
//   times out is cancelled (RST_STREAM) and fails with GRPCDeadlineExceededError.
// - One session, created lazily; a session that closes, errors or receives GOAWAY is dropped
//   and the next call dials again (so the server recovers as soon as etcd is back). Calls in
//   flight on a broken session fail; nothing is retried here.
// - Only the first endpoint is used (k8ts runs one etcd); not handled: TLS to etcd, auth.
import http2 from 'node:http2';
import type { IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import { PbWriter, readRangeResponseMessage, readTxnResponseMessage, writeRangeRequest, writeTxnRequest } from './etcd-kv-proto.js';

const { HTTP2_HEADER_STATUS, NGHTTP2_CANCEL } = http2.constants;

/** etcd3's error names by gRPC status code (the messages are etcd's own) */
const GRPC_ERROR_NAMES: Record<number, string> = {
  1: 'GRPCCancelledError', 2: 'GRPCUnknownError', 3: 'GRPCInvalidArgumentError', 4: 'GRPCDeadlineExceededError',
  5: 'GRPCNotFoundError', 6: 'GRPCAlreadyExistsError', 7: 'GRPCPermissionDeniedError', 8: 'GRPCResourceExhaustedError',
  9: 'GRPCFailedPreconditionError', 10: 'GRPCAbortedError', 11: 'GRPCOutOfRangeError', 12: 'GRPCNotImplementedError',
  13: 'GRPCInternalError', 14: 'GRPCUnavailableError', 15: 'GRPCDataLossError', 16: 'GRPCUnauthenticatedError',
};

export class GrpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = GRPC_ERROR_NAMES[code] ?? 'GRPCGenericError';
  }
}

export class EtcdGrpcKV {
  private session: http2.ClientHttp2Session | undefined;
  private readonly authority: string;
  private closed = false;

  constructor(endpoint: string, private readonly timeoutMs = 5000) {
    const u = new URL(endpoint);
    if (u.protocol !== 'http:') throw new Error(`etcd grpc kv: only plain http endpoints are supported (${endpoint})`);
    this.authority = `http://${u.host}`;
  }

  async range(req: IRangeRequest): Promise<IRangeResponse> {
    return readRangeResponseMessage(await this.unary('/etcdserverpb.KV/Range', PbWriter.grpcFrame((w) => writeRangeRequest(w, req))));
  }

  async txn(req: ITxnRequest): Promise<ITxnResponse> {
    return readTxnResponseMessage(await this.unary('/etcdserverpb.KV/Txn', PbWriter.grpcFrame((w) => writeTxnRequest(w, req))));
  }

  close(): Promise<void> {
    this.closed = true;
    const s = this.session;
    this.session = undefined;
    if (!s || s.closed || s.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => { s.destroy(); resolve(); }, 1000);
      t.unref();
      s.close(() => { clearTimeout(t); resolve(); });
    });
  }

  private connect(): http2.ClientHttp2Session {
    const cur = this.session;
    if (cur && !cur.closed && !cur.destroyed) return cur;
    const s = http2.connect(this.authority, {
      // etcd's answers can be large (a list page); grow the windows beyond 64 KiB
      settings: { initialWindowSize: 8 * 1024 * 1024, enablePush: false },
    });
    const drop = () => { if (this.session === s) this.session = undefined; };
    s.on('error', drop);
    s.on('close', drop);
    s.on('goaway', () => { drop(); s.close(); });
    s.on('connect', () => { try { s.setLocalWindowSize(16 * 1024 * 1024); } catch { /* closing */ } });
    this.session = s;
    return s;
  }

  private unary(path: string, frame: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new GrpcError(14, 'etcd grpc kv: client closed'));
    return new Promise<Buffer>((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.connect().request({
          ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers',
          'grpc-timeout': `${this.timeoutMs}m`,
        });
      } catch (err) {
        this.session = undefined;
        reject(err);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let status: number | undefined;
      let message = '';
      let failure: Error | undefined;
      const takeStatus = (h: http2.IncomingHttpHeaders) => {
        if (h['grpc-status'] !== undefined) {
          status = Number(h['grpc-status']);
          message = decodeGrpcMessage(String(h['grpc-message'] ?? ''));
        }
      };
      stream.on('response', (h) => {
        const code = Number(h[HTTP2_HEADER_STATUS]);
        if (code !== 200) failure = new GrpcError(code === 503 || code === 502 || code === 504 ? 14 : 13, `etcd answered HTTP ${code}`);
        takeStatus(h); // a trailers-only answer (errors) carries grpc-status in the headers
      });
      stream.on('trailers', takeStatus);
      stream.on('data', (c: Buffer) => { chunks.push(c); size += c.length; });
      stream.setTimeout(this.timeoutMs, () => {
        failure = new GrpcError(4, `etcd grpc kv: deadline exceeded after ${this.timeoutMs} ms`);
        stream.close(NGHTTP2_CANCEL);
      });
      stream.on('error', (err) => { failure ??= err; });
      stream.on('close', () => {
        if (failure) return reject(failure);
        if (status === undefined) return reject(new GrpcError(14, `etcd grpc kv: stream closed without a status (rst code ${stream.rstCode})`));
        if (status !== 0) return reject(new GrpcError(status, message || `grpc status ${status}`));
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        if (body.length < 5) return reject(new GrpcError(13, 'etcd grpc kv: empty response'));
        if (body[0] !== 0) return reject(new GrpcError(13, 'etcd grpc kv: compressed responses are not supported'));
        const len = body.readUInt32BE(1);
        if (body.length < 5 + len) return reject(new GrpcError(13, 'etcd grpc kv: truncated response'));
        resolve(body.subarray(5, 5 + len));
      });
      stream.end(frame);
    });
  }
}

/** grpc-message is percent-encoded */
function decodeGrpcMessage(m: string): string {
  if (!m.includes('%')) return m;
  try { return decodeURIComponent(m); } catch { return m; }
}
