// Test support: reading and writing CRI-format container log files
// (`<RFC3339Nano time> <stdout|stderr> <P|F> <content>` per line, P = partial line), the
// format containerd writes and the kubelet serves. Used by the process runtime test double.
import { appendFile } from 'node:fs/promises';

export interface CriLogEntry {
  /** the timestamp exactly as written (RFC 3339, nanoseconds) */
  time: string;
  /** epoch ms */
  ms: number;
  stream: 'stdout' | 'stderr';
  /** content, with the newline restored for full (F) lines */
  content: string;
}

const LINE = /^(\S+) (stdout|stderr) ([PF]) ?(.*)$/;

/** Parses complete lines; malformed ones are skipped. */
export function parseCriLog(text: string): CriLogEntry[] {
  const out: CriLogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, time, stream, tag, content] = m as unknown as [string, string, 'stdout' | 'stderr', 'P' | 'F', string];
    out.push({ time, ms: Date.parse(time), stream, content: tag === 'F' ? content + '\n' : content });
  }
  return out;
}

/** RFC 3339 with nanoseconds, as CRI runtimes write it. */
export function criTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Appends full lines to a CRI log file (each with its own timestamp, default now). */
export async function appendCriLog(file: string, stream: 'stdout' | 'stderr', lines: string[], at: number = Date.now()): Promise<void> {
  await appendFile(file, lines.map((l) => `${criTime(at)} ${stream} F ${l}\n`).join(''));
}
