// etcd's KV RPCs (Range, Txn) as plain unary gRPC over our own minimal HTTP/2 client
// (h2-unary-client.ts), with the messages encoded by hand (etcd-kv-proto.ts) — a lean
// replacement for etcd3/grpc-js on the hot path.
//
// Why: measured on this machine (bench:api, 20,000 creates), etcd3/grpc-js costs the
// apiserver ~0.4–0.6 ms of CPU per Txn (call/channel machinery, protobufjs), and etcd's JSON
// gateway, though cheap for Node, costs etcd itself ~0.5 ms more per request (grpc-gateway
// re-marshals JSON and proxies to its own gRPC server). Unary gRPC straight on HTTP/2 is
// cheap on both sides; node:http2 itself still cost ~0.1 ms per call (see h2-unary-client.ts).
//
// Contract:
// - range()/txn() take and return the same shapes as etcd3's `client.kv.range/txn`
//   (see etcd-kv-proto.ts), so callers cannot tell the backends apart.
// - Errors: a non-OK grpc-status throws an Error whose message is etcd's grpc-message (e.g.
//   "etcdserver: mvcc: required revision has been compacted") and whose name is etcd3's
//   (GRPCUnavailableError, GRPCDeadlineExceededError...), so storage/etcd.ts maps it to a
//   Status error exactly as it maps etcd3's; transport failures throw the socket's error
//   (ECONNREFUSED...) or an H2Error, which map to 503.
// - Every call is bounded by `timeoutMs` (sent to etcd as grpc-timeout as well); a call that
//   times out is cancelled (RST_STREAM) and fails with GRPCDeadlineExceededError (→ 504).
// - One connection, dialled lazily and again after it breaks (so the server recovers as soon
//   as etcd is back). Calls in flight on a broken connection fail; nothing is retried here.
// - Only the first endpoint is used (k8ts runs one etcd); not handled: TLS to etcd, auth.
import type { IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import { PbWriter, readRangeResponseMessage, readTxnResponseMessage, writeRangeRequest, writeTxnRequest } from './etcd-kv-proto.js';
import { H2UnaryClient, requestHeaders } from '@k8ts/shared/grpc/h2-unary-client';
import { GrpcStatusError, unaryGrpc } from '@k8ts/shared/grpc/grpc-unary';

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
  private readonly client: H2UnaryClient;
  private readonly rangeHeaders: Buffer;
  private readonly txnHeaders: Buffer;

  constructor(endpoint: string, private readonly timeoutMs = 5000) {
    const u = new URL(endpoint);
    if (u.protocol !== 'http:') throw new Error(`etcd grpc kv: only plain http endpoints are supported (${endpoint})`);
    this.client = new H2UnaryClient({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 2379) }, 'etcd');
    const extra = { 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': `${timeoutMs}m` };
    this.rangeHeaders = requestHeaders(u.host, '/etcdserverpb.KV/Range', extra);
    this.txnHeaders = requestHeaders(u.host, '/etcdserverpb.KV/Txn', extra);
  }

  async range(req: IRangeRequest): Promise<IRangeResponse> {
    return readRangeResponseMessage(await this.unary(this.rangeHeaders, PbWriter.grpcFrame((w) => writeRangeRequest(w, req))));
  }

  async txn(req: ITxnRequest): Promise<ITxnResponse> {
    return readTxnResponseMessage(await this.unary(this.txnHeaders, PbWriter.grpcFrame((w) => writeTxnRequest(w, req))));
  }

  close(): Promise<void> {
    this.client.close();
    return Promise.resolve();
  }

  private async unary(headers: Buffer, frame: Buffer): Promise<Buffer> {
    try {
      return await unaryGrpc(this.client, headers, frame, this.timeoutMs, 'etcd');
    } catch (err) {
      if (err instanceof GrpcStatusError) throw new GrpcError(err.code, err.message);
      throw err;
    }
  }
}
