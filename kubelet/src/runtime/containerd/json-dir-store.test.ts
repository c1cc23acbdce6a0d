import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JsonDirStore } from './json-dir-store.js';

describe('JsonDirStore', () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
  const fresh = async () => { const d = await mkdtemp(join(tmpdir(), 'k8ts-jds-')); dirs.push(d); return join(d, 'records'); };

  it('puts, gets, lists and deletes; values are copies', async () => {
    const s = new JsonDirStore<{ n: number }>(await fresh());
    assert.deepEqual(await s.list(), []);
    await s.put('a', { n: 1 });
    await s.put('b', { n: 2 });
    const a = await s.get('a');
    assert.deepEqual(a, { n: 1 });
    a!.n = 99;
    assert.deepEqual(await s.get('a'), { n: 1 });
    assert.deepEqual((await s.list()).sort((x, y) => x.id.localeCompare(y.id)), [{ id: 'a', value: { n: 1 } }, { id: 'b', value: { n: 2 } }]);
    await s.delete('a');
    assert.equal(await s.get('a'), undefined);
    assert.deepEqual((await s.list()).map((e) => e.id), ['b']);
  });

  it('sees writes of a second instance over the same directory', async () => {
    const dir = await fresh();
    const one = new JsonDirStore<{ n: number }>(dir);
    const two = new JsonDirStore<{ n: number }>(dir);
    await one.put('a', { n: 1 });
    assert.equal((await one.list()).length, 1);
    await two.put('b', { n: 2 });
    await two.delete('a');
    await new Promise((r) => setTimeout(r, 20)); // a different mtime tick
    assert.deepEqual((await one.list()).map((e) => e.id), ['b']);
    assert.equal(await one.get('a'), undefined);
    assert.deepEqual(await one.get('b'), { n: 2 });
  });

  it('skips corrupt records', async () => {
    const dir = await fresh();
    const s = new JsonDirStore<{ n: number }>(dir);
    await s.put('good', { n: 1 });
    await writeFile(join(dir, 'bad.json'), '{not json');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual((await s.list()).map((e) => e.id), ['good']);
    assert.equal(await s.get('bad'), undefined);
  });

  it('lists only the records whose raw text the pre-filter accepts', async () => {
    const dir = await fresh();
    const s = new JsonDirStore<{ n: number; tag?: string }>(dir);
    await s.put('a', { n: 1, tag: 'keep' });
    await s.put('b', { n: 2 });
    await s.put('c', { n: 3, tag: 'keep' });
    const kept = await s.list((text) => text.includes('"keep"'));
    assert.deepEqual(kept.map((e) => e.id).sort(), ['a', 'c']);
    assert.deepEqual(kept.find((e) => e.id === 'c')?.value, { n: 3, tag: 'keep' });
    assert.equal((await s.list()).length, 3);
  });
});
