// A server-side SPDY/3.1 connection over an upgraded socket, as kubectl's spdystream client
// uses it: the client opens every stream (SYN_STREAM); each is answered with a SYN_REPLY and
// handed to the 'stream' listener with its headers, an `incoming` readable (DATA from the
// client, ended by FIN) and write/end for our DATA. PINGs are echoed, GOAWAY ends the
// connection, RST_STREAM destroys the stream's `incoming`.
//
// Contract: frames are processed strictly in order (header blocks share one zlib stream per
// direction); malformed input destroys the socket; close() or the socket closing destroys
// every stream. Not handled: flow-control windows, server-initiated streams, priorities.
import { EventEmitter } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import type { Logger } from '@k8ts/shared';
import {
  FLAG_FIN, FrameReader, GOAWAY, HeaderCodec, PING, RST_STREAM, SYN_REPLY, SYN_STREAM, controlFrame, dataFrame, u32, type Frame,
} from './spdy-framer.js';

export interface SpdyStream {
  id: number;
  /** lower-case header names → values */
  headers: Map<string, string[]>;
  /** what the client sends on this stream; ends on its FIN */
  incoming: PassThrough;
  /** sends DATA; false when the socket's buffer is full (wait for onDrain) */
  write(data: Buffer): boolean;
  /** sends FIN (once) */
  end(data?: Buffer): void;
}

export class SpdyConnection extends EventEmitter {
  private readonly reader = new FrameReader();
  private readonly codec = new HeaderCodec();
  private readonly streams = new Map<number, SpdyStream>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Duplex, head: Buffer, private readonly log: Logger) {
    super();
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('close', () => this.teardown());
    socket.on('error', () => socket.destroy());
    if (head.length) this.onBytes(head);
  }

  get closed(): boolean { return this.socket.destroyed; }

  onDrain(fn: () => void): void { this.socket.once('drain', fn); }

  close(): void { this.socket.end(); setTimeout(() => this.socket.destroy(), 5000).unref(); }

  private send(b: Buffer): boolean {
    if (this.socket.destroyed || !this.socket.writable) return true;
    return this.socket.write(b);
  }

  private teardown(): void {
    for (const s of this.streams.values()) s.incoming.destroy();
    this.streams.clear();
    this.codec.close();
    this.emit('close');
  }

  private onBytes(chunk: Buffer): void {
    let frames: Frame[];
    try { frames = this.reader.push(chunk); } catch (err) { this.fail(err as Error); return; }
    for (const f of frames) this.chain = this.chain.then(() => this.handle(f)).catch((err: Error) => this.fail(err));
  }

  private fail(err: Error): void {
    if (!this.socket.destroyed) this.log.debug({ err: err.message }, 'bad SPDY input; closing the connection');
    this.socket.destroy();
  }

  private async handle(f: Frame): Promise<void> {
    if (this.socket.destroyed) return;
    if (!f.control) {
      const s = this.streams.get(f.streamId);
      if (!s) return;
      if (f.payload.length && !s.incoming.writableEnded) s.incoming.write(Buffer.from(f.payload));
      if (f.flags & FLAG_FIN) s.incoming.end();
      return;
    }
    switch (f.type) {
      case SYN_STREAM: {
        const id = f.payload.readUInt32BE(0) & 0x7fffffff;
        const headers = await this.codec.decode(f.payload.subarray(10));
        this.send(controlFrame(SYN_REPLY, 0, Buffer.concat([u32(id), await this.codec.encode({})])));
        const incoming = new PassThrough();
        let ended = false;
        const stream: SpdyStream = {
          id, headers, incoming,
          write: (data) => this.send(dataFrame(id, 0, data)),
          end: (data) => { if (ended) return; ended = true; this.send(dataFrame(id, FLAG_FIN, data ?? Buffer.alloc(0))); },
        };
        if (f.flags & FLAG_FIN) incoming.end();
        this.streams.set(id, stream);
        this.emit('stream', stream);
        return;
      }
      case PING: this.send(controlFrame(PING, 0, f.payload)); return;
      case RST_STREAM: {
        const id = f.payload.readUInt32BE(0) & 0x7fffffff;
        this.streams.get(id)?.incoming.destroy();
        this.streams.delete(id);
        return;
      }
      case GOAWAY: this.socket.end(); return;
      default: return; // SETTINGS, WINDOW_UPDATE, HEADERS, NOOP
    }
  }

  /** Refuses a stream (RST_STREAM, PROTOCOL_ERROR). */
  reset(id: number): void {
    this.send(controlFrame(RST_STREAM, 0, u32(id, 1)));
    this.streams.get(id)?.incoming.destroy();
    this.streams.delete(id);
  }
}
