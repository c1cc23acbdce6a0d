import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { clusterIdentities } from './identities.js';
import { ensureTokenFile, ensureTokens, parseCsvLine, parseTokenFile, renderTokenFile, tokenFor } from './tokens.js';

describe('token file format', () => {
  it('parses upstream records with and without quoted groups', () => {
    const entries = parseTokenFile('abc,admin,1,"system:masters,devs"\n\nxyz,bob,2\nq1,"a,b",3,g1\n');
    assert.deepEqual(entries, [
      { token: 'abc', user: 'admin', uid: '1', groups: ['system:masters', 'devs'] },
      { token: 'xyz', user: 'bob', uid: '2', groups: [] },
      { token: 'q1', user: 'a,b', uid: '3', groups: ['g1'] },
    ]);
  });

  it('handles escaped quotes and rejects malformed lines with their line number', () => {
    assert.deepEqual(parseCsvLine('"a""b",c,'), ['a"b', 'c', '']);
    assert.throws(() => parseTokenFile('ok,u,1\nonly,two\n'), /line 2: need at least 3 columns/);
    assert.throws(() => parseTokenFile('"open,u,1\n'), /line 1: unterminated/);
    assert.throws(() => parseTokenFile(',u,1\n'), /empty token/);
  });

  it('renders what it parses', () => {
    const entries = [
      { token: 't1', user: 'admin', uid: 'u1', groups: ['system:masters'] },
      { token: 't2', user: 'system:kube-proxy', uid: 'u2', groups: [] },
      { token: 't3', user: 'x', uid: 'u3', groups: ['a', 'b'] },
    ];
    const text = renderTokenFile(entries);
    assert.equal(text, 't1,admin,u1,"system:masters"\nt2,system:kube-proxy,u2\nt3,x,u3,"a,b"\n');
    assert.deepEqual(parseTokenFile(text), entries);
  });
});

describe('ensureTokens', () => {
  const wanted = clusterIdentities(['n1', 'n2']);

  it('creates one random token per identity with upstream users and groups', () => {
    const { entries, added } = ensureTokens([], wanted);
    assert.deepEqual(added, ['admin', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:node:n1', 'system:node:n2', 'system:kube-proxy', 'system:serviceaccount:kube-system:coredns']);
    assert.deepEqual(entries.find((e) => e.user === 'admin')?.groups, ['system:masters']);
    assert.deepEqual(entries.find((e) => e.user === 'system:node:n2')?.groups, ['system:nodes']);
    assert.equal(new Set(entries.map((e) => e.token)).size, entries.length);
    for (const e of entries) assert.match(e.token, /^[0-9a-f]{48}$/);
  });

  it('keeps existing tokens and uids, keeps unknown users, adds only what is missing', () => {
    const existing = [
      { token: 'keep-admin', user: 'admin', uid: 'uid-a', groups: ['wrong'] },
      { token: 'custom', user: 'alice', uid: 'uid-x', groups: ['team'] },
    ];
    const { entries, added } = ensureTokens(existing, wanted);
    assert.deepEqual(entries[0], { token: 'keep-admin', user: 'admin', uid: 'uid-a', groups: ['system:masters'] });
    assert.deepEqual(entries[1], existing[1]);
    assert.ok(!added.includes('admin'));
    assert.equal(added.length, wanted.length - 1);
    assert.equal(tokenFor(entries, 'admin'), 'keep-admin');
  });

  it('ensureTokenFile preserves tokens across runs, writes 0600 and only rewrites on change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-tokens-'));
    try {
      const file = join(dir, 'tokens.csv');
      const first = await ensureTokenFile(file, clusterIdentities(['n1']));
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const text1 = await readFile(file, 'utf8');
      const mtime1 = (await stat(file)).mtimeMs;
      const second = await ensureTokenFile(file, clusterIdentities(['n1']));
      assert.deepEqual(second.added, []);
      assert.deepEqual(second.entries, first.entries);
      assert.equal(await readFile(file, 'utf8'), text1);
      assert.equal((await stat(file)).mtimeMs, mtime1);
      const third = await ensureTokenFile(file, clusterIdentities(['n1', 'n2']));
      assert.deepEqual(third.added, ['system:node:n2']);
      assert.equal(tokenFor(third.entries, 'admin'), tokenFor(first.entries, 'admin'));
      await writeFile(file, 'broken\n');
      await assert.rejects(ensureTokenFile(file, clusterIdentities([])), /tokens\.csv: token file line 1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
