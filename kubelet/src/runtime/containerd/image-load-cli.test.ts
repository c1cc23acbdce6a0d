// `k8ts image load` (cli/src/commands/image-load.ts) against a real containerd laid out like
// `k8ts up` does (<state>/containerd/containerd.sock). Runs the built CLI (cli/dist/main.js).
// Needs root and the `node` + `images` package sets.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../../sys/run-command.js';
import { startTestContainerd, type TestContainerd } from '../../testing/containerd.js';
import { ensureTestImages, REPO_ROOT } from '../../testing/images.js';

const isRoot = process.getuid?.() === 0;

describe('k8ts image load', { skip: isRoot ? false : 'needs root (containerd)' }, () => {
  let state = '';
  let ctd: TestContainerd;
  let busybox = '';
  before(async () => {
    busybox = (await ensureTestImages(['busybox'])).busybox!;
    state = await mkdtemp(join(tmpdir(), 'k8ts-state-'));
    ctd = await startTestContainerd({ dir: join(state, 'containerd') });
  });
  after(async () => {
    await ctd?.stop();
    if (state) await rm(state, { recursive: true, force: true });
  });

  it('imports into every k8ts-* namespace and every configured node', async () => {
    const other = `${ctd.prefix}-other`;
    await runCommand('ctr', ['-a', ctd.socket, 'namespaces', 'create', 'k8ts-existing']);
    await runCommand('ctr', ['-a', ctd.socket, 'namespaces', 'create', other]);
    await writeFile(join(state, 'cluster.json'), JSON.stringify({ nodeNames: ['n1', 'n2'] }));
    const r = await runCommand(process.execPath, [join(REPO_ROOT, 'cli', 'dist', 'main.js'), 'image', 'load', '--state-dir', state, busybox]);
    assert.equal(r.code, 0, r.stderr);
    for (const ns of ['k8ts-existing', 'k8ts-n1', 'k8ts-n2', other]) {
      assert.match(r.stdout, new RegExp(`^${ns}: loaded docker\\.io/library/busybox:latest`, 'm'));
      const imgs = await ctd.client.listImages(ns);
      assert.deepEqual(imgs.map((i) => i.name), ['docker.io/library/busybox:latest'], ns);
    }
    const missing = await runCommand(process.execPath, [join(REPO_ROOT, 'cli', 'dist', 'main.js'), 'image', 'load', '--state-dir', state, join(state, 'nope.tar')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such image tarball/);
  });
});
