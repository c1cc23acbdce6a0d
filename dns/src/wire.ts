// DNS wire format (RFC 1035), the subset a cluster DNS server needs: parse one question from a
// query, build answers with A / SRV / SOA / PTR records, name compression for the question
// name only. Pure functions over Buffers.
//
// Contract: parseQuery never throws on hostile input: it returns undefined for anything it
// cannot parse (the server then drops the packet, or answers FORMERR when the header parsed).

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 } as const;
export const CLASS_IN = 1;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface Question { name: string; type: number; class: number }

export interface Query {
  id: number;
  flags: number;
  question: Question;
  /** Byte length of header + question (what the answer echoes). */
  questionEnd: number;
}

export type RecordData =
  | { type: typeof TYPE.A; address: string }
  | { type: typeof TYPE.SRV; priority: number; weight: number; port: number; target: string }
  | { type: typeof TYPE.PTR; target: string }
  | { type: typeof TYPE.SOA; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };

export interface ResourceRecord { name: string; ttl: number; data: RecordData }

export interface Answer {
  rcode: number;
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  /** Authoritative answer bit. */
  aa: boolean;
}

/** Parses the header and the first question; undefined when malformed. */
export function parseQuery(buf: Buffer): Query | undefined {
  if (buf.length < 12) return undefined;
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  if (qd < 1) return undefined;
  const labels: string[] = [];
  let off = 12;
  for (let guard = 0; guard < 128; guard++) {
    if (off >= buf.length) return undefined;
    const len = buf[off]!;
    if (len === 0) { off++; break; }
    if (len > 63) return undefined; // compression pointers are not valid in a question we parse first
    if (off + 1 + len > buf.length) return undefined;
    labels.push(buf.toString('latin1', off + 1, off + 1 + len));
    off += 1 + len;
  }
  if (off + 4 > buf.length) return undefined;
  const type = buf.readUInt16BE(off);
  const cls = buf.readUInt16BE(off + 2);
  return { id, flags, question: { name: labels.join('.').toLowerCase(), type, class: cls }, questionEnd: off + 4 };
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  const bufs: Buffer[] = [];
  for (const p of parts) {
    const b = Buffer.from(p, 'latin1');
    bufs.push(Buffer.from([Math.min(63, b.length)]), b.subarray(0, 63));
  }
  bufs.push(Buffer.from([0]));
  return Buffer.concat(bufs);
}

function encodeRecord(rr: ResourceRecord, questionName: string): Buffer {
  // the question name sits at offset 12: point to it when the record has the same owner name
  const owner = rr.name.toLowerCase() === questionName ? Buffer.from([0xc0, 12]) : encodeName(rr.name);
  let rdata: Buffer;
  const d = rr.data;
  switch (d.type) {
    case TYPE.A: rdata = Buffer.from(d.address.split('.').map(Number)); break;
    case TYPE.PTR: rdata = encodeName(d.target); break;
    case TYPE.SRV: {
      const head = Buffer.alloc(6);
      head.writeUInt16BE(d.priority, 0); head.writeUInt16BE(d.weight, 2); head.writeUInt16BE(d.port, 4);
      rdata = Buffer.concat([head, encodeName(d.target)]);
      break;
    }
    case TYPE.SOA: {
      const nums = Buffer.alloc(20);
      nums.writeUInt32BE(d.serial, 0); nums.writeUInt32BE(d.refresh, 4); nums.writeUInt32BE(d.retry, 8);
      nums.writeUInt32BE(d.expire, 12); nums.writeUInt32BE(d.minimum, 16);
      rdata = Buffer.concat([encodeName(d.mname), encodeName(d.rname), nums]);
      break;
    }
  }
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(d.type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(rr.ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

/** Builds the response to `query` (echoing its question). `maxBytes` truncates (TC bit) for UDP. */
export function buildResponse(raw: Buffer, query: Query, answer: Answer, maxBytes = 65535): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  const rd = query.flags & 0x0100;
  let flags = 0x8000 | (query.flags & 0x7800) | rd | (answer.aa ? 0x0400 : 0) | (answer.rcode & 0xf);
  const question = raw.subarray(12, query.questionEnd);
  const records = answer.answers.map((r) => encodeRecord(r, query.question.name));
  const auth = answer.authority.map((r) => encodeRecord(r, query.question.name));
  let an = records.length;
  let ns = auth.length;
  let body: Buffer = Buffer.concat([question, ...records, ...auth]);
  if (12 + body.length > maxBytes) {
    flags |= 0x0200; // TC: the client retries over TCP
    an = 0; ns = 0;
    body = question;
  }
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(an, 6);
  header.writeUInt16BE(ns, 8);
  header.writeUInt16BE(0, 10);
  return Buffer.concat([header, body]);
}

/** Header-only error answer (FORMERR etc.) for a packet whose header parsed. */
export function errorResponse(raw: Buffer, rcode: number): Buffer | undefined {
  if (raw.length < 12) return undefined;
  const h = Buffer.from(raw.subarray(0, 12));
  h.writeUInt16BE(0x8000 | (raw.readUInt16BE(2) & 0x7900) | rcode, 2);
  h.writeUInt16BE(0, 4); h.writeUInt16BE(0, 6); h.writeUInt16BE(0, 8); h.writeUInt16BE(0, 10);
  return h;
}

/** A query packet (for tests, the benchmark and health checks). */
export function buildQuery(id: number, name: string, type: number = TYPE.A): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** Decodes a response's rcode and A-record addresses (for tests and the benchmark). */
export function decodeAnswerAddresses(buf: Buffer): { id: number; rcode: number; truncated: boolean; addresses: string[]; answerCount: number } {
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const qd = buf.readUInt16BE(4);
  const an = buf.readUInt16BE(6);
  let off = 12;
  const skipName = () => {
    for (;;) {
      if (off >= buf.length) throw new Error('truncated DNS message');
      const len = buf[off]!;
      if (len === 0) { off++; return; }
      if ((len & 0xc0) === 0xc0) { off += 2; return; }
      off += 1 + len;
    }
  };
  if (qd > 0) { skipName(); off += 4; }
  const addresses: string[] = [];
  for (let i = 0; i < an; i++) {
    skipName();
    const type = buf.readUInt16BE(off);
    const rdlen = buf.readUInt16BE(off + 8);
    off += 10;
    if (type === TYPE.A && rdlen === 4) addresses.push([...buf.subarray(off, off + 4)].join('.'));
    off += rdlen;
  }
  return { id, rcode: flags & 0xf, truncated: (flags & 0x0200) !== 0, addresses, answerCount: an };
}
