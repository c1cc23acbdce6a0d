// Writing metav1.Status error answers from the kubelet server, on a normal response or on a
// raw socket whose upgrade we refuse (then the connection is closed after the answer).
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Errors, isStatusError, type Status } from '@k8ts/shared';

export function statusOf(err: unknown): Status {
  if (isStatusError(err)) return err.status;
  return Errors.internal((err as Error)?.message ?? String(err)).status;
}

export function writeStatus(res: ServerResponse, s: Status): void {
  if (res.headersSent) { res.destroy(); return; }
  const body = JSON.stringify(s);
  res.writeHead(s.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function writeSocketStatus(socket: Duplex, s: Status): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(s);
  socket.end(`HTTP/1.1 ${s.code} ${STATUS_CODES[s.code] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' + body);
  // A client that never reads its answer must not keep the socket forever.
  setTimeout(() => socket.destroy(), 5000).unref();
}
