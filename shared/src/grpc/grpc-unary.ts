// One unary gRPC call over H2UnaryClient: the length-prefixed request frame in, the answer's
// single message out, every failure as a GrpcStatusError carrying a gRPC status code.
//
// Contract:
// - transport failures (connection refused or lost, RST_STREAM, GOAWAY) → code 14 UNAVAILABLE;
//   the deadline → code 4 DEADLINE_EXCEEDED; an HTTP status other than 200 → 14 for 502/503/504,
//   else 13; a non-zero grpc-status → that code with the server's (percent-decoded) message;
//   an answer without grpc-status, empty, compressed or truncated → 13 INTERNAL (14 when the
//   grpc-status is missing).
// - Errors that are not the transport's (a bug) pass through unchanged.
import { H2Error, type H2UnaryClient } from './h2-unary-client.js';

export class GrpcStatusError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'GrpcStatusError';
  }
}

export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_NOT_FOUND = 5;
export const GRPC_UNAVAILABLE = 14;

/** `message` with gRPC's 5-byte prefix (uncompressed, 32-bit big-endian length). */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** grpc-message is percent-encoded */
export function decodeGrpcMessage(m: string): string {
  if (!m.includes('%')) return m;
  try { return decodeURIComponent(m); } catch { return m; }
}

/** `what` names the server in messages ("etcd", "containerd"). */
export async function unaryGrpc(client: H2UnaryClient, headers: Buffer, frame: Buffer, timeoutMs: number, what: string): Promise<Buffer> {
  let a;
  try {
    a = await client.call(headers, frame, timeoutMs);
  } catch (err) {
    if (err instanceof H2Error && err.code === 'DEADLINE') throw new GrpcStatusError(GRPC_DEADLINE_EXCEEDED, `${what}: deadline exceeded after ${timeoutMs} ms`);
    if (err instanceof H2Error) throw new GrpcStatusError(GRPC_UNAVAILABLE, `${what} unavailable: ${err.message}`);
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string') { // ECONNREFUSED, ENOENT...
      throw new GrpcStatusError(GRPC_UNAVAILABLE, `${what} unavailable: ${err.message}`);
    }
    throw err;
  }
  if (a.status !== 200) throw new GrpcStatusError(a.status === 503 || a.status === 502 || a.status === 504 ? GRPC_UNAVAILABLE : 13, `${what} answered HTTP ${a.status}`);
  if (a.grpcStatus === undefined) throw new GrpcStatusError(GRPC_UNAVAILABLE, `${what}: answer without a grpc-status`);
  if (a.grpcStatus !== 0) throw new GrpcStatusError(a.grpcStatus, decodeGrpcMessage(a.grpcMessage ?? '') || `grpc status ${a.grpcStatus}`);
  const body = a.body;
  if (body.length < 5) throw new GrpcStatusError(13, `${what}: empty response`);
  if (body[0] !== 0) throw new GrpcStatusError(13, `${what}: compressed responses are not supported`);
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) throw new GrpcStatusError(13, `${what}: truncated response`);
  return body.subarray(5, 5 + len);
}
