// Child process of the API benchmark: holds N HTTP watch streams open and records, for every
// watcher, when each benchmark event arrived. Kept cheap on purpose so that the client does
// not dominate the measurement: lines are split and inspected on Buffers (the event's
// sequence number is read from the object name `ev-NNNNNN`), never JSON-parsed, and one clock
// reading is taken per received chunk.
//
// Protocol (IPC with advanced serialization):
//   parent → {cmd:'open', url, token, caPem, path, watchers, maxSeq}
//   child  → {type:'opened'} once every request was sent, {type:'warm'} once every watcher has
//            seen event 0 (so every stream is subscribed and flowing)
//   parent → {cmd:'collect', from, to, timeoutMs}
//   child  → {type:'collected', recv: Float64Array (watchers × (to-from+1), 0 = never), ...}
//   parent → {cmd:'exit'}
import { Pool } from 'undici';
import { now } from './stats.js';

interface OpenCmd { cmd: 'open'; url: string; token: string; caPem: string; path: string; watchers: number; maxSeq: number; }
interface CollectCmd { cmd: 'collect'; from: number; to: number; timeoutMs: number; }
type Cmd = OpenCmd | CollectCmd | { cmd: 'exit' };

const send = (m: unknown) => process.send!(m);
const TYPE = Buffer.from('{"type":"');
const NAME = Buffer.from('"name":"ev-');

let pool: Pool | undefined;
let recv: Float64Array[] = [];
let counts: Int32Array = new Int32Array(0);
let n = 0;
let duplicates = 0;
let unexpected = 0;
let bytes = 0;
let lines = 0;
const errors: string[] = [];
let ended = 0;
let warmSent = false;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function handleLine(w: number, buf: Buffer, start: number, end: number, t: number): void {
  lines++;
  if (buf.indexOf(TYPE, start) !== start) { unexpected++; return; }
  const typeChar = buf[start + TYPE.length];
  if (typeChar === 0x45 /* E: ERROR */) {
    if (errors.length < 20) errors.push(`watcher ${w}: ${buf.subarray(start, Math.min(end, start + 400)).toString()}`);
    return;
  }
  if (typeChar === 0x42 /* B: BOOKMARK */) return;
  const at = buf.indexOf(NAME, start);
  if (at < 0 || at > end) { unexpected++; return; }
  let seq = 0;
  let i = at + NAME.length;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
  }
  const r = recv[w]!;
  if (seq >= r.length) { unexpected++; return; }
  if (r[seq] !== 0) { duplicates++; return; }
  r[seq] = t;
  counts[seq]!++;
  if (seq === 0 && counts[0] === n && !warmSent) { warmSent = true; send({ type: 'warm', cpuSeconds: cpuSeconds() }); }
}

async function openWatch(w: number, path: string, token: string): Promise<void> {
  try {
    const res = await pool!.request({ path, method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      errors.push(`watcher ${w}: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
      ended++;
      return;
    }
    let carry: Buffer | undefined;
    res.body.on('data', (chunk: Buffer) => {
      const t = now();
      bytes += chunk.length;
      let start = 0;
      if (carry) {
        const nl = chunk.indexOf(10);
        if (nl < 0) { carry = Buffer.concat([carry, chunk]); return; }
        const line = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = undefined;
        handleLine(w, line, 0, line.length, t);
        start = nl + 1;
      }
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl < 0) break;
        if (nl > start) handleLine(w, chunk, start, nl, t);
        start = nl + 1;
      }
      if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
    });
    res.body.on('end', () => { ended++; if (errors.length < 20) errors.push(`watcher ${w}: stream ended by the server`); });
    res.body.on('error', (e: Error) => { ended++; if (errors.length < 20) errors.push(`watcher ${w}: ${e.message}`); });
  } catch (e) {
    ended++;
    if (errors.length < 20) errors.push(`watcher ${w}: ${(e as Error).message}`);
  }
}

function collect(c: CollectCmd): void {
  const width = c.to - c.from + 1;
  const deadline = Date.now() + c.timeoutMs;
  const complete = () => {
    for (let s = c.from; s <= c.to; s++) if (counts[s] !== n) return false;
    return true;
  };
  const finish = () => {
    const out = new Float64Array(n * width);
    for (let w = 0; w < n; w++) out.set(recv[w]!.subarray(c.from, c.to + 1), w * width);
    send({
      type: 'collected', from: c.from, to: c.to, recv: out, duplicates, unexpected, errors, ended, bytes, lines,
      cpuSeconds: cpuSeconds(), complete: complete(),
    });
  };
  const tick = () => {
    if (complete() || Date.now() > deadline || ended > 0) return finish();
    setTimeout(tick, 10);
  };
  tick();
}

process.on('message', (m: Cmd) => {
  if (m.cmd === 'open') {
    n = m.watchers;
    recv = Array.from({ length: n }, () => new Float64Array(m.maxSeq + 1));
    counts = new Int32Array(m.maxSeq + 1);
    pool = new Pool(m.url, {
      connections: n, pipelining: 1, bodyTimeout: 0, headersTimeout: 0,
      connect: { ca: m.caPem },
    });
    for (let w = 0; w < n; w++) void openWatch(w, m.path, m.token);
    send({ type: 'opened' });
  } else if (m.cmd === 'collect') {
    collect(m);
  } else if (m.cmd === 'exit') {
    void pool?.destroy().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  }
});
process.on('disconnect', () => process.exit(0));
