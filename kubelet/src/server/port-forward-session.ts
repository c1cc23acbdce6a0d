// One `kubectl port-forward` connection (SPDY/3.1, subprotocol portforward.k8s.io) after the
// 101: the client opens, per forwarded TCP connection, an "error" and a "data" stream carrying
// the same requestID and port headers; we answer every SYN_STREAM with a SYN_REPLY, dial the
// pod's port once both streams exist, pipe the data stream and the TCP connection both ways,
// and close both streams (FIN) when the pod side ends. A failed dial is reported as text on
// the error stream (kubectl prints it). PINGs are echoed; GOAWAY ends the session.
//
// Backpressure: a pod connection pauses while the client socket's buffer is full. Not
// handled: flow control windows (not enforced by kubectl's spdystream), bounding what the
// client sends faster than the pod reads, server-initiated streams.
import { PassThrough, type Duplex } from 'node:stream';
import type { Logger } from '@k8ts/shared';
import {
  FLAG_FIN, FrameReader, GOAWAY, HeaderCodec, PING, RST_STREAM, SYN_REPLY, SYN_STREAM, controlFrame, dataFrame, u32, type Frame,
} from './spdy/spdy-framer.js';

export type DialPort = (port: number) => Promise<Duplex>;

interface Pair { port: number; errorId?: number; dataId?: number; toPod: PassThrough; conn?: Duplex; started: boolean }

export function runPortForwardSession(socket: Duplex, head: Buffer, dial: DialPort, log: Logger): void {
  const reader = new FrameReader();
  const codec = new HeaderCodec();
  const pairs = new Map<string, Pair>();
  const byStream = new Map<number, Pair>();
  const send = (b: Buffer) => { if (!socket.destroyed && socket.writable) socket.write(b); };
  const empty = Buffer.alloc(0);

  // Frames are handled strictly in order (header blocks share one zlib stream).
  let chain: Promise<void> = Promise.resolve();
  const onBytes = (chunk: Buffer) => {
    let frames: Frame[];
    try { frames = reader.push(chunk); } catch (err) { log.debug({ err: (err as Error).message }, 'bad SPDY input'); socket.destroy(); return; }
    for (const f of frames) {
      chain = chain.then(() => handle(f)).catch((err: Error) => {
        if (!socket.destroyed) log.debug({ err: err.message }, 'bad SPDY frame');
        socket.destroy();
      });
    }
  };
  socket.on('data', onBytes);
  socket.on('close', () => {
    for (const p of pairs.values()) { p.conn?.destroy(); p.toPod.destroy(); }
    pairs.clear();
    codec.close();
  });
  if (head.length) onBytes(head);

  async function handle(f: Frame): Promise<void> {
    if (socket.destroyed) return;
    if (!f.control) {
      const p = byStream.get(f.streamId);
      if (p && f.streamId === p.dataId) {
        if (f.payload.length) p.toPod.write(f.payload);
        if (f.flags & FLAG_FIN) p.toPod.end();
      }
      return;
    }
    switch (f.type) {
      case SYN_STREAM: return synStream(f.payload);
      case PING: send(controlFrame(PING, 0, f.payload)); return;
      case RST_STREAM: {
        const p = byStream.get(f.payload.readUInt32BE(0) & 0x7fffffff);
        if (p) { p.conn?.destroy(); p.toPod.destroy(); }
        return;
      }
      case GOAWAY: socket.end(); return;
      default: return; // SETTINGS, WINDOW_UPDATE, HEADERS, NOOP
    }
  }

  async function synStream(payload: Buffer): Promise<void> {
    const id = payload.readUInt32BE(0) & 0x7fffffff;
    const headers = await codec.decode(payload.subarray(10));
    send(controlFrame(SYN_REPLY, 0, Buffer.concat([u32(id), await codec.encode({})])));
    const type = headers.get('streamtype')?.[0];
    const port = Number(headers.get('port')?.[0]);
    // Clients that predate requestID pair streams by id: error n, data n+2.
    const requestId = headers.get('requestid')?.[0] ?? String(type === 'data' ? id - 2 : id);
    let p = pairs.get(requestId);
    if (!p) { p = { port, toPod: new PassThrough(), started: false }; pairs.set(requestId, p); }
    byStream.set(id, p);
    if (type === 'error') p.errorId = id;
    else if (type === 'data') p.dataId = id;
    else { send(controlFrame(RST_STREAM, 0, u32(id, 1))); return; }
    if (p.errorId !== undefined && p.dataId !== undefined && !p.started) start(requestId, p);
  }

  function start(requestId: string, p: Pair): void {
    p.started = true;
    const finish = (message?: string) => {
      if (pairs.get(requestId) !== p) return;
      pairs.delete(requestId);
      byStream.delete(p.errorId!);
      byStream.delete(p.dataId!);
      if (message) send(dataFrame(p.errorId!, 0, Buffer.from(message)));
      send(dataFrame(p.dataId!, FLAG_FIN, empty));
      send(dataFrame(p.errorId!, FLAG_FIN, empty));
    };
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) { finish(`invalid port ${JSON.stringify(p.port)}`); return; }
    dial(p.port).then((conn) => {
      if (pairs.get(requestId) !== p) { conn.destroy(); return; }
      p.conn = conn;
      p.toPod.pipe(conn);
      conn.on('data', (d: Buffer) => {
        if (socket.destroyed) return;
        // a slow client pauses the pod side instead of growing our buffer
        if (!socket.write(dataFrame(p.dataId!, 0, d))) { conn.pause(); socket.once('drain', () => conn.resume()); }
      });
      conn.on('end', () => finish());
      conn.on('error', (err) => finish(`error forwarding port ${p.port}: ${err.message}`));
      conn.on('close', () => finish());
    }, (err: Error) => finish(`error forwarding port ${p.port}: ${err.message}`));
  }
}
