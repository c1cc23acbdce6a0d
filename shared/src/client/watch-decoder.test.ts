import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../errors.js';
import { WatchDecoder, decodeWatchStream } from './watch-decoder.js';

const ev = (type: string, name: string, rv: string): string =>
  JSON.stringify({ type, object: { kind: 'Pod', apiVersion: 'v1', metadata: { name, resourceVersion: rv } } }) + '\n';

const names = (evs: { type: string; object: any }[]): string[] => evs.map((e) => `${e.type}:${e.object.metadata.name}`);

async function* chunks(parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const p of parts) yield p;
}

describe('WatchDecoder', () => {
  it('reassembles an event split across chunks at every possible offset', () => {
    const line = ev('ADDED', 'a', '1');
    for (let cut = 1; cut < line.length; cut++) {
      const d = new WatchDecoder();
      assert.deepEqual(d.push(line.slice(0, cut)), [], `cut at ${cut}`);
      assert.deepEqual(names(d.push(line.slice(cut))), ['ADDED:a']);
      assert.deepEqual(d.end(), []);
    }
  });

  it('returns several events from one chunk, in order, and skips blank lines', () => {
    const d = new WatchDecoder();
    const out = d.push(ev('ADDED', 'a', '1') + '\n' + ev('MODIFIED', 'a', '2') + ev('DELETED', 'b', '3') + ev('BOOKMARK', '', '4').slice(0, 10));
    assert.deepEqual(names(out), ['ADDED:a', 'MODIFIED:a', 'DELETED:b']);
  });

  it('handles a multi-byte UTF-8 character split between byte chunks', () => {
    const bytes = Buffer.from(ev('ADDED', 'café-☃', '7'), 'utf8');
    const i = bytes.indexOf(0xe2); // first byte of the snowman
    const d = new WatchDecoder();
    assert.deepEqual(d.push(bytes.subarray(0, i + 1)), []);
    const out = d.push(bytes.subarray(i + 1));
    assert.equal((out[0]!.object as any).metadata.name, 'café-☃');
  });

  it('flushes a final event without newline and drops a truncated one', () => {
    const d = new WatchDecoder();
    d.push(ev('ADDED', 'a', '1').trimEnd());
    assert.deepEqual(names(d.end()), ['ADDED:a']);
    const d2 = new WatchDecoder();
    d2.push(ev('ADDED', 'a', '1').slice(0, 20));
    assert.deepEqual(d2.end(), []);
  });

  it('throws a StatusError on a malformed complete line', () => {
    const d = new WatchDecoder();
    assert.throws(() => d.push('{"type":"ADDED"\n'), (e) => isStatusError(e) && e.status.code === 500);
    assert.throws(() => new WatchDecoder().push('{"type":"WHAT","object":{}}\n'), (e) => isStatusError(e));
  });

  it('decodeWatchStream yields events across an async chunk stream', async () => {
    const all = ev('ADDED', 'a', '1') + ev('ERROR', 'x', '2') + ev('MODIFIED', 'a', '3');
    const parts = [all.slice(0, 5), all.slice(5, 70), all.slice(70, 71), all.slice(71)];
    const seen = [];
    for await (const e of decodeWatchStream(chunks(parts))) seen.push(e);
    assert.deepEqual(names(seen as any), ['ADDED:a', 'ERROR:x', 'MODIFIED:a']);
  });
});
