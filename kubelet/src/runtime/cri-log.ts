// Reader of the CRI container log format (one line per record):
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <text>
// P records are partial lines continued by the next record of the same stream; F ends a line.
//
// Contract:
// - readCriLog writes the decoded text into `out` (P records without newline), honouring
//   tail (last N complete lines), sinceTime (records at/after it), timestamps (the record's
//   timestamp + ' ' before each line) and limitBytes (output truncated at that many bytes).
// - follow: after the existing content, keeps polling the file for appended records until
//   `signal` aborts or `stillRunning()` turns false (then drains what is left and resolves).
// - Malformed lines are passed through as stdout text (never throws on content); a missing
//   file is an empty log.
import { open } from 'node:fs/promises';
import type { LogOptions } from './types.js';

export interface CriLogRecord {
  time: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
  text: string;
}

export function parseCriLogLine(line: string): CriLogRecord {
  const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/s.exec(line);
  if (!m) return { time: '', timeMs: 0, stream: 'stdout', partial: false, text: line };
  const time = m[1]!;
  return { time, timeMs: Date.parse(time), stream: m[2] as 'stdout' | 'stderr', partial: m[3] === 'P', text: m[4]! };
}

export function formatCriLogLine(r: Omit<CriLogRecord, 'timeMs'>): string {
  return `${r.time} ${r.stream} ${r.partial ? 'P' : 'F'} ${r.text}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function readCriLog(
  path: string,
  opts: LogOptions,
  out: NodeJS.WritableStream,
  stillRunning: () => Promise<boolean> = async () => false,
): Promise<void> {
  let written = 0;
  let done = false;
  let atLineStart = true;
  const write = (s: string): void => {
    if (done) return;
    let buf = Buffer.from(s);
    if (opts.limitBytes !== undefined && written + buf.length >= opts.limitBytes) {
      buf = buf.subarray(0, Math.max(0, opts.limitBytes - written));
      done = true;
    }
    written += buf.length;
    if (buf.length) out.write(buf);
  };
  const emit = (r: CriLogRecord): void => {
    if (opts.sinceTime !== undefined && r.timeMs && r.timeMs < opts.sinceTime) return;
    if (opts.timestamps && atLineStart) write(`${r.time} `);
    write(r.partial ? r.text : `${r.text}\n`);
    atLineStart = !r.partial;
  };

  let fh: import("node:fs/promises").FileHandle | undefined;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let offset = 0;
  let rest = '';
  const readMore = async (): Promise<string[]> => {
    if (!fh) {
      try { fh = await open(path, 'r'); } catch { return []; }
    }
    const chunks: Buffer[] = [];
    for (;;) {
      const buf = Buffer.alloc(256 * 1024);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      if (!bytesRead) break;
      offset += bytesRead;
      chunks.push(buf.subarray(0, bytesRead));
    }
    const text = rest + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    return lines;
  };
  try {
    let records = (await readMore()).map(parseCriLogLine);
    if (opts.sinceTime !== undefined) records = records.filter((r) => !r.timeMs || r.timeMs >= opts.sinceTime!);
    if (opts.tail !== undefined) {
      // Keep the last `tail` logical lines (a P… F run counts as one line).
      let lines = 0;
      let i = records.length;
      if (opts.tail <= 0) i = records.length;
      else {
        while (i > 0) {
          if (!records[i - 1]!.partial) {
            if (lines === opts.tail) break;
            lines++;
          }
          i--;
        }
      }
      records = records.slice(i);
    }
    for (const r of records) emit(r);
    if (!opts.follow) return;
    let lastCheck = 0;
    while (!done && !opts.signal?.aborted) {
      const more = await readMore();
      for (const l of more) emit(parseCriLogLine(l));
      if (more.length === 0) {
        if (Date.now() - lastCheck > 500) {
          lastCheck = Date.now();
          if (!(await stillRunning())) {
            await sleep(300); // the logger may still be flushing the last lines
            for (const l of await readMore()) emit(parseCriLogLine(l));
            return;
          }
        }
        await sleep(150);
      }
    }
  } finally {
    await fh?.close();
  }
}
