// SPDY/3.1 framing, the subset a port-forward server needs (as kubectl's spdystream client
// speaks it): frame parsing from a byte stream, control/data frame building, and header
// blocks (name/value pairs, zlib-compressed with the SPDY/3 dictionary; one compression
// context per direction for the whole connection, so blocks must be processed in order).
//
// Frame layout: control = [1|version(15)|type(16)][flags(8)|length(24)] payload;
// data = [0|streamId(31)][flags(8)|length(24)] payload. Not handled: flow control
// (WINDOW_UPDATE is parsed and ignored; spdystream does not enforce windows), server push.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.js';

export const FLAG_FIN = 0x01;
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

const MAX_FRAME = 16 * 1024 * 1024;

export type Frame =
  | { control: true; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; payload: Buffer };

/** Accumulates bytes and yields complete frames; throws on a frame larger than 16 MiB. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (len > MAX_FRAME) throw new Error(`SPDY frame of ${len} bytes is too large`);
      if (this.buf.length < 8 + len) break;
      const flags = this.buf[4]!;
      const payload = this.buf.subarray(8, 8 + len);
      if (this.buf[0]! & 0x80) out.push({ control: true, type: this.buf.readUInt16BE(2), flags, payload });
      else out.push({ control: false, streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, payload });
      this.buf = this.buf.subarray(8 + len);
    }
    return out;
  }
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | 3, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([h, payload]);
}

export function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([h, payload]);
}

export function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Feeds one block through a long-lived zlib stream and returns its SYNC_FLUSH output. */
function pump(z: Inflate | Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('error', onError);
      const chunks: Buffer[] = [];
      for (let c = z.read() as Buffer | null; c !== null; c = z.read() as Buffer | null) chunks.push(c);
      resolve(Buffer.concat(chunks));
    });
  });
}

/**
 * The connection's header compression contexts (one per direction). Calls must not overlap:
 * each direction's blocks are one continuous zlib stream.
 */
export class HeaderCodec {
  private readonly inflater: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly deflater: Deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });

  /** Decodes a compressed name/value block into lower-case names → values (NUL-split). */
  async decode(block: Buffer): Promise<Map<string, string[]>> {
    const raw = await pump(this.inflater, block);
    const out = new Map<string, string[]>();
    let pos = 0;
    const n = raw.readUInt32BE(pos); pos += 4;
    for (let i = 0; i < n; i++) {
      const nl = raw.readUInt32BE(pos); pos += 4;
      const name = raw.subarray(pos, pos + nl).toString('latin1').toLowerCase(); pos += nl;
      const vl = raw.readUInt32BE(pos); pos += 4;
      const value = raw.subarray(pos, pos + vl).toString('latin1'); pos += vl;
      out.set(name, value.split('\0'));
    }
    return out;
  }

  encode(headers: Record<string, string>): Promise<Buffer> {
    const parts: Buffer[] = [u32(Object.keys(headers).length)];
    for (const [k, v] of Object.entries(headers)) {
      const name = Buffer.from(k.toLowerCase(), 'latin1');
      const value = Buffer.from(v, 'latin1');
      parts.push(u32(name.length), name, u32(value.length), value);
    }
    return pump(this.deflater, Buffer.concat(parts));
  }

  close(): void { this.inflater.destroy(); this.deflater.destroy(); }
}
