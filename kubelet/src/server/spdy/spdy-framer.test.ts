import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_FIN, FrameReader, HeaderCodec, PING, controlFrame, dataFrame, u32 } from './spdy-framer.js';

describe('SPDY/3.1 framing', () => {
  // The dictionary itself is checked by the real kubectl (kubectl-streaming.test.ts): zlib
  // refuses a header stream whose dictionary Adler-32 does not match.
  it('reads control and data frames split at any byte', () => {
    const bytes = Buffer.concat([controlFrame(PING, 0, u32(7)), dataFrame(3, FLAG_FIN, Buffer.from('hi'))]);
    const r = new FrameReader();
    const frames = [...bytes].flatMap((b) => r.push(Buffer.from([b])));
    assert.deepEqual(frames, [
      { control: true, type: PING, flags: 0, payload: u32(7) },
      { control: false, streamId: 3, flags: FLAG_FIN, payload: Buffer.from('hi') },
    ]);
  });

  it('compresses header blocks as one stream per direction', async () => {
    const a = new HeaderCodec();
    const b = new HeaderCodec();
    try {
      for (const h of [{ streamType: 'error', port: '80', requestID: '0' }, { streamType: 'data', port: '80', requestID: '0' }]) {
        const decoded = await b.decode(await a.encode(h));
        assert.deepEqual(Object.fromEntries([...decoded].map(([k, v]) => [k, v[0]])), { streamtype: h.streamType, port: '80', requestid: '0' });
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
