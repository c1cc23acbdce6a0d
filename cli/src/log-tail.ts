// The last lines of a log file (for error messages). Contract: never throws; reads at most
// the last 64 KiB; returns '' for a missing file.
import { open } from 'node:fs/promises';

export async function tailFile(file: string, lines = 30): Promise<string> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const all = buf.toString('utf8').replace(/\n$/, '').split('\n');
      return all.slice(-lines).join('\n');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}
