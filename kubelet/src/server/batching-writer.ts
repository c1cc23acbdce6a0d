// A Writable that coalesces the many small writes of a log stream (one per line) into one
// response write per event-loop turn or per 64 KiB, so that each line does not become its own
// TLS record and HTTP chunk. `onFirstWrite` runs before the first byte goes out (response
// headers). Backpressure: a write that fills the batch waits for the response's 'drain'.
// flush() sends what is pending (call it before ending the response).
import { Writable } from 'node:stream';

const BATCH_BYTES = 64 * 1024;

export interface BatchingWriter { stream: Writable; flush(): void; }

export function batchingWriter(res: NodeJS.WritableStream & { writableNeedDrain?: boolean }, onFirstWrite: () => void): BatchingWriter {
  let pending: Buffer[] = [];
  let bytes = 0;
  let scheduled = false;
  let started = false;
  const flush = () => {
    scheduled = false;
    if (!bytes) return;
    const b = pending.length === 1 ? pending[0]! : Buffer.concat(pending, bytes);
    pending = [];
    bytes = 0;
    res.write(b);
  };
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!started) { started = true; onFirstWrite(); }
      pending.push(chunk);
      bytes += chunk.length;
      if (bytes >= BATCH_BYTES) {
        flush();
        if (res.writableNeedDrain) { res.once('drain', () => cb()); return; }
        cb();
        return;
      }
      if (!scheduled) { scheduled = true; setImmediate(flush); }
      cb();
    },
  });
  return { stream, flush };
}
