// One `kubectl port-forward` connection (SPDY/3.1, subprotocol portforward.k8s.io) after the
// 101: the client opens, per forwarded TCP connection, an "error" and a "data" stream carrying
// the same requestID and port headers; once both exist we dial the pod's port and pipe the
// data stream and the TCP connection both ways, then close both streams (FIN) when the pod
// side ends. A failed dial is reported as text on the error stream (kubectl prints it).
//
// Backpressure: a pod connection pauses while the client socket's buffer is full. Not
// handled: flow-control windows (not enforced by kubectl's spdystream), bounding what the
// client sends faster than the pod reads.
import type { Duplex } from 'node:stream';
import type { Logger } from '@k8ts/shared';
import { SpdyConnection, type SpdyStream } from './spdy/spdy-connection.js';

export type DialPort = (port: number) => Promise<Duplex>;

interface Pair { port: number; error?: SpdyStream; data?: SpdyStream; conn?: Duplex; started: boolean; done: boolean }

export function runPortForwardSession(socket: Duplex, head: Buffer, dial: DialPort, log: Logger): void {
  const conn = new SpdyConnection(socket, head, log);
  const pairs = new Map<string, Pair>();
  conn.on('close', () => { for (const p of pairs.values()) p.conn?.destroy(); pairs.clear(); });
  conn.on('stream', (s: SpdyStream) => {
    const type = s.headers.get('streamtype')?.[0];
    const port = Number(s.headers.get('port')?.[0]);
    // Clients that predate requestID pair streams by id: error n, data n+2.
    const requestId = s.headers.get('requestid')?.[0] ?? String(type === 'data' ? s.id - 2 : s.id);
    let p = pairs.get(requestId);
    if (!p) { p = { port, started: false, done: false }; pairs.set(requestId, p); }
    if (type === 'error') p.error = s;
    else if (type === 'data') p.data = s;
    else { conn.reset(s.id); return; }
    if (p.error && p.data && !p.started) start(requestId, p);
  });

  function start(requestId: string, p: Pair): void {
    p.started = true;
    const data = p.data!;
    const error = p.error!;
    const finish = (message?: string) => {
      if (p.done) return;
      p.done = true;
      pairs.delete(requestId);
      if (message) error.write(Buffer.from(message));
      data.end();
      error.end();
      p.conn?.destroy();
    };
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) { finish(`invalid port ${JSON.stringify(p.port)}`); return; }
    dial(p.port).then((c) => {
      if (p.done) { c.destroy(); return; }
      p.conn = c;
      data.incoming.pipe(c);
      c.on('data', (d: Buffer) => {
        if (!data.write(d)) { c.pause(); conn.onDrain(() => c.resume()); }
      });
      c.on('end', () => finish());
      c.on('error', (err) => finish(`error forwarding port ${p.port}: ${err.message}`));
      c.on('close', () => finish());
    }, (err: Error) => finish(`error forwarding port ${p.port}: ${err.message}`));
  }
}
