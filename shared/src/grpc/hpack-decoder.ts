// HPACK (RFC 7541) header block decoding for the minimal HTTP/2 client (h2-unary-client.ts):
// static table, dynamic table with size updates, integer and string literals, Huffman.
//
// Contract:
// - One HpackDecoder per connection; decode() must see every header block of the
//   connection, in order (the dynamic table is connection state).
// - Returns header names and values as latin1 strings (names arrive lower-case in HTTP/2).
// - Malformed input throws (the caller treats it as a connection error, COMPRESSION_ERROR).
// - Not handled: encoding (requests use fixed, pre-encoded blocks of literals without indexing).

const STATIC_TABLE: Array<[string, string]> = [
  ['', ''], [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'], [':status', '304'],
  [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''], ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''], ['accept-ranges', ''], ['accept', ''], ['access-control-allow-origin', ''], ['age', ''], ['allow', ''],
  ['authorization', ''], ['cache-control', ''], ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''],
  ['content-length', ''], ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''],
  ['etag', ''], ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''], ['location', ''],
  ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''],
  ['retry-after', ''], ['server', ''], ['set-cookie', ''], ['strict-transport-security', ''], ['transfer-encoding', ''],
  ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

/** Code lengths of RFC 7541 Appendix B's canonical Huffman code, symbols 0–255 then EOS (256). */
const HUFFMAN_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

/** Huffman decoding tree as flat arrays: node → [child0, child1]; leaves hold -(symbol+1). */
const TREE = buildTree();

function buildTree(): Int32Array {
  // canonical code: symbols sorted by (length, symbol) get consecutive codes
  const order = HUFFMAN_LENGTHS.map((len, sym) => ({ len, sym })).sort((a, b) => a.len - b.len || a.sym - b.sym);
  const tree = new Int32Array(2 * 2 * 260).fill(0); // 2 slots per node, at most 256 internal nodes
  let nodes = 1;
  let code = 0;
  let prevLen = order[0]!.len;
  for (const { len, sym } of order) {
    code <<= len - prevLen;
    prevLen = len;
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const bit = (code >>> i) & 1;
      const slot = node * 2 + bit;
      if (i === 0) { tree[slot] = -(sym + 1); break; }
      if (tree[slot] === 0) tree[slot] = nodes++;
      node = tree[slot]!;
    }
    code++;
  }
  return tree;
}

/** The canonical code of a symbol (for tests against RFC 7541 Appendix B). */
export function huffmanCode(sym: number): { code: number; bits: number } {
  const order = HUFFMAN_LENGTHS.map((len, s) => ({ len, s })).sort((a, b) => a.len - b.len || a.s - b.s);
  let code = 0;
  let prevLen = order[0]!.len;
  for (const { len, s } of order) {
    code = code * 2 ** (len - prevLen);
    prevLen = len;
    if (s === sym) return { code, bits: len };
    code++;
  }
  throw new Error(`no symbol ${sym}`);
}

export function huffmanDecode(buf: Buffer, start: number, end: number): string {
  let out = '';
  let node = 0;
  let depth = 0;
  let ones = true; // the bits since the last symbol are all 1 (valid EOS padding)
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    for (let b = 7; b >= 0; b--) {
      const bit = (byte >> b) & 1;
      const next = TREE[node * 2 + bit]!;
      depth++;
      if (bit === 0) ones = false;
      if (next < 0) {
        const sym = -next - 1;
        if (sym === 256) throw new Error('hpack: EOS in a Huffman string');
        out += String.fromCharCode(sym);
        node = 0; depth = 0; ones = true;
      } else if (next === 0) {
        throw new Error('hpack: invalid Huffman code');
      } else {
        node = next;
      }
    }
  }
  if (depth > 7 || !ones) throw new Error('hpack: invalid Huffman padding');
  return out;
}

export class HpackDecoder {
  private dynamic: Array<[string, string]> = [];
  private size = 0;
  private pos = 0;
  private buf: Buffer = Buffer.alloc(0);

  /** maxTableSize is what this side's SETTINGS_HEADER_TABLE_SIZE allows (4096 by default). */
  constructor(private maxTableSize = 4096) {}

  decode(block: Buffer): Array<[string, string]> {
    this.buf = block;
    this.pos = 0;
    const out: Array<[string, string]> = [];
    while (this.pos < block.length) {
      const b = block[this.pos]!;
      if (b & 0x80) { // indexed header field
        out.push(this.entry(this.int(7)));
      } else if (b & 0x40) { // literal with incremental indexing
        const h = this.literal(6);
        out.push(h);
        this.add(h);
      } else if (b & 0x20) { // dynamic table size update
        const size = this.int(5);
        if (size > this.maxTableSize) throw new Error('hpack: table size update above the limit');
        this.maxTableSize = size;
        this.evict(0);
      } else { // literal without indexing (0000) or never indexed (0001)
        out.push(this.literal(4));
      }
    }
    return out;
  }

  private int(prefixBits: number): number {
    const max = (1 << prefixBits) - 1;
    let v = this.buf[this.pos++]! & max;
    if (v < max) return v;
    let m = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('hpack: truncated integer');
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * m;
      if (!(b & 0x80)) return v;
      m *= 128;
      if (m > 2 ** 28) throw new Error('hpack: integer too large');
    }
  }

  private str(): string {
    if (this.pos >= this.buf.length) throw new Error('hpack: truncated string');
    const huffman = (this.buf[this.pos]! & 0x80) !== 0;
    const len = this.int(7);
    const start = this.pos;
    this.pos += len;
    if (this.pos > this.buf.length) throw new Error('hpack: truncated string');
    return huffman ? huffmanDecode(this.buf, start, this.pos) : this.buf.toString('latin1', start, this.pos);
  }

  private literal(prefixBits: number): [string, string] {
    const idx = this.int(prefixBits);
    const name = idx === 0 ? this.str() : this.entry(idx)[0];
    return [name, this.str()];
  }

  private entry(idx: number): [string, string] {
    if (idx > 0 && idx < STATIC_TABLE.length) return STATIC_TABLE[idx]!;
    const e = this.dynamic[idx - STATIC_TABLE.length];
    if (!e) throw new Error(`hpack: invalid index ${idx}`);
    return e;
  }

  private add(h: [string, string]): void {
    const size = h[0].length + h[1].length + 32;
    if (size > this.maxTableSize) { this.dynamic = []; this.size = 0; return; }
    this.evict(size);
    this.dynamic.unshift(h);
    this.size += size;
  }

  /** drops the oldest entries until `room` more octets fit */
  private evict(room: number): void {
    while (this.size + room > this.maxTableSize && this.dynamic.length) {
      const [n, v] = this.dynamic.pop()!;
      this.size -= n.length + v.length + 32;
    }
  }
}
