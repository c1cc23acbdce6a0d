import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { parseCriLogLine, readCriLog } from './cri-log.js';

const collect = () => {
  const s = new PassThrough();
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  return { s, text: () => Buffer.concat(chunks).toString() };
};

describe('CRI log format', () => {
  let dir = '';
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });
  const file = async (content: string) => {
    dir ||= await mkdtemp(join(tmpdir(), 'k8ts-crilog-'));
    const p = join(dir, `${Math.random()}.log`);
    await writeFile(p, content);
    return p;
  };
  const LOG = [
    '2024-01-01T00:00:01.000000001Z stdout F one',
    '2024-01-01T00:00:02.000000000Z stderr F two',
    '2024-01-01T00:00:03.000000000Z stdout P thr',
    '2024-01-01T00:00:03.500000000Z stdout F ee',
    '2024-01-01T00:00:04.000000000Z stdout F four',
    '',
  ].join('\n');

  it('parses records', () => {
    assert.deepEqual(parseCriLogLine('2024-01-01T00:00:01.5Z stderr P a b '), {
      time: '2024-01-01T00:00:01.5Z', timeMs: Date.parse('2024-01-01T00:00:01.5Z'), stream: 'stderr', partial: true, text: 'a b ',
    });
  });

  it('joins partial records, honours tail (logical lines), timestamps, sinceTime and limitBytes', async () => {
    const p = await file(LOG);
    let o = collect();
    await readCriLog(p, { follow: false, timestamps: false }, o.s);
    assert.equal(o.text(), 'one\ntwo\nthree\nfour\n');
    o = collect();
    await readCriLog(p, { follow: false, timestamps: false, tail: 2 }, o.s);
    assert.equal(o.text(), 'three\nfour\n');
    o = collect();
    await readCriLog(p, { follow: false, timestamps: true, tail: 1 }, o.s);
    assert.equal(o.text(), '2024-01-01T00:00:04.000000000Z four\n');
    o = collect();
    await readCriLog(p, { follow: false, timestamps: false, sinceTime: Date.parse('2024-01-01T00:00:02Z') }, o.s);
    assert.equal(o.text(), 'two\nthree\nfour\n');
    o = collect();
    await readCriLog(p, { follow: false, timestamps: false, limitBytes: 6 }, o.s);
    assert.equal(o.text(), 'one\ntw');
    o = collect();
    await readCriLog(join(dir, 'missing.log'), { follow: false, timestamps: false }, o.s);
    assert.equal(o.text(), '');
  });

  it('follows appended records until the container stops', async () => {
    const p = await file('2024-01-01T00:00:01Z stdout F a\n');
    const o = collect();
    let running = true;
    const done = readCriLog(p, { follow: true, timestamps: false }, o.s, async () => running);
    await appendFile(p, '2024-01-01T00:00:02Z stdout F b\n');
    for (let i = 0; i < 100 && o.text() !== 'a\nb\n'; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(o.text(), 'a\nb\n');
    running = false;
    await done;
  });
});
