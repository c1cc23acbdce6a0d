// Protocol-buffers wire format, read side only: varints, length-delimited fields, fixed
// 32/64-bit fields. Every read is bounds-checked; malformed input throws WireError.

export class WireError extends Error {}

export interface WireField {
  field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 */
  wireType: number;
  /** varint / fixed values */
  value?: bigint;
  /** length-delimited payload */
  bytes?: Uint8Array;
}

export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new WireError('truncated varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new WireError('varint too long');
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0) throw new WireError('field number 0');
    switch (wireType) {
      case 0: out.push({ field, wireType, value: varint() }); break;
      case 1: {
        if (pos + 8 > buf.length) throw new WireError('truncated fixed64');
        out.push({ field, wireType, value: Buffer.from(buf.subarray(pos, pos + 8)).readBigUInt64LE() });
        pos += 8;
        break;
      }
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new WireError('truncated length-delimited field');
        out.push({ field, wireType, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5: {
        if (pos + 4 > buf.length) throw new WireError('truncated fixed32');
        out.push({ field, wireType, value: BigInt(Buffer.from(buf.subarray(pos, pos + 4)).readUInt32LE()) });
        pos += 4;
        break;
      }
      default: throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}
