import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HpackDecoder, huffmanCode, huffmanDecode } from './hpack-decoder.js';

describe('hpack decoder', () => {
  it('rebuilds RFC 7541 Appendix B codes from the code lengths', () => {
    assert.deepEqual(huffmanCode(0), { code: 0x1ff8, bits: 13 });
    assert.deepEqual(huffmanCode(48), { code: 0x0, bits: 5 }); // '0'
    assert.deepEqual(huffmanCode(32), { code: 0x14, bits: 6 }); // ' '
    assert.deepEqual(huffmanCode(126), { code: 0x1ffd, bits: 13 }); // '~'
    assert.deepEqual(huffmanCode(255), { code: 0x3ffffee, bits: 26 });
    assert.deepEqual(huffmanCode(256), { code: 0x3fffffff, bits: 30 }); // EOS
  });

  it('decodes Huffman strings (RFC 7541 C.4.1) and rejects bad padding', () => {
    const b = Buffer.from('f1e3c2e5f23a6ba0ab90f4ff', 'hex');
    assert.equal(huffmanDecode(b, 0, b.length), 'www.example.com');
    assert.throws(() => huffmanDecode(Buffer.from([0x00]), 0, 1)); // "0" + 3 zero bits of padding
  });

  it('decodes the RFC 7541 C.4 request sequence with its dynamic table', () => {
    const d = new HpackDecoder();
    assert.deepEqual(d.decode(Buffer.from('828684418cf1e3c2e5f23a6ba0ab90f4ff', 'hex')),
      [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']]);
    assert.deepEqual(d.decode(Buffer.from('828684be5886a8eb10649cbf', 'hex')),
      [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']]);
    assert.deepEqual(d.decode(Buffer.from('828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf', 'hex')),
      [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']]);
  });

  it('throws on an index past the tables', () => {
    assert.throws(() => new HpackDecoder().decode(Buffer.from([0xff, 0x10])));
  });
});
