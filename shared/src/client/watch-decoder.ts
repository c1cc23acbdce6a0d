// Incremental decoder for watch streams: newline-delimited JSON, one {"type","object"} per
// line. Chunks may split an event anywhere (even inside a multi-byte UTF-8 character) and
// may carry several events; blank lines are ignored.
//
// Contract:
// - push() returns the complete events in the order they were sent.
// - A complete line that is not valid JSON or lacks `type`/`object` throws a StatusError
//   (500 InternalError): the stream is unusable and the caller should re-watch.
// - end() flushes a final line that lacked its newline; if that remainder is not a complete
//   event (the connection died mid-event) it is dropped, since a re-watch from the last
//   delivered resourceVersion replays it.
import type { WatchEvent, WatchEventType } from '../api/meta.js';
import { Errors } from '../errors.js';

const TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export class WatchDecoder<T = unknown> {
  private readonly utf8 = new TextDecoder('utf-8');
  private buffered = '';

  push(chunk: Uint8Array | string): WatchEvent<T>[] {
    this.buffered += typeof chunk === 'string' ? chunk : this.utf8.decode(chunk, { stream: true });
    const out: WatchEvent<T>[] = [];
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      const ev = parseLine<T>(line, true);
      if (ev) out.push(ev);
    }
    return out;
  }

  end(): WatchEvent<T>[] {
    const rest = this.buffered + this.utf8.decode();
    this.buffered = '';
    const ev = parseLine<T>(rest, false);
    return ev ? [ev] : [];
  }
}

function parseLine<T>(line: string, strict: boolean): WatchEvent<T> | undefined {
  const text = line.trim();
  if (!text) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    if (!strict) return undefined;
    throw Errors.internal(`malformed watch event: ${(e as Error).message}`);
  }
  const ev = v as { type?: unknown; object?: unknown };
  if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || !TYPES.has(ev.type) || !ev.object || typeof ev.object !== 'object') {
    if (!strict) return undefined;
    throw Errors.internal(`malformed watch event: ${text.length > 200 ? text.slice(0, 200) + '…' : text}`);
  }
  return { type: ev.type as WatchEventType, object: ev.object as T };
}

/** Decodes a byte/string stream into watch events, lazily. */
export async function* decodeWatchStream<T = unknown>(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<WatchEvent<T>> {
  const decoder = new WatchDecoder<T>();
  for await (const chunk of source) {
    for (const ev of decoder.push(chunk)) yield ev;
  }
  for (const ev of decoder.end()) yield ev;
}
