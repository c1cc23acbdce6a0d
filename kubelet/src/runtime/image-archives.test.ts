import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { FakeRuntime } from './fake-runtime.js';
import { serveImageArchives } from './image-archives.js';
import { RuntimeError, type ImageInfo } from './types.js';

const quiet = { info: () => {}, warn: () => {} };

async function archiveDir(names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-archives-'));
  for (const n of names) await writeFile(join(dir, n), '');
  return dir;
}

/** A FakeRuntime whose importImage makes `<base>:latest` present once `gate` opens. */
function runtimeWithImports(gate: Promise<void>, failing = new Set<string>()): { rt: FakeRuntime; imported: string[] } {
  const rt = new FakeRuntime();
  const imported: string[] = [];
  rt.importImage = async (path: string): Promise<ImageInfo[]> => {
    await gate;
    const name = basename(path, '.tar');
    if (failing.has(name)) throw new RuntimeError('ImportError', `bad archive ${name}`);
    imported.push(name);
    rt.addImage(`docker.io/library/${name}:latest`);
    return [(await rt.imageStatus(`${name}:latest`))!];
  };
  return { rt, imported };
}

test('image archives: preloaded in name order; a pull during the preload waits for it', async (t) => {
  const dir = await archiveDir(['nginx.tar', 'busybox.tar', 'notes.txt']);
  t.after(() => rm(dir, { recursive: true, force: true }));
  let open!: () => void;
  const { rt, imported } = runtimeWithImports(new Promise<void>((r) => { open = r; }));
  const archives = serveImageArchives(rt, dir, quiet);
  const pulled = rt.pullImage('nginx');
  let settled = false;
  void pulled.then(() => { settled = true; }, () => { settled = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false, 'the pull waits while the archives are imported');
  open();
  assert.deepEqual((await pulled).repoTags, ['docker.io/library/nginx:latest']);
  await archives.preloaded;
  assert.deepEqual(imported, ['busybox', 'nginx']);
});

test('image archives: an image in no archive still fails with ErrImagePull; a bad archive is skipped', async (t) => {
  const dir = await archiveDir(['bad.tar', 'busybox.tar']);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { rt, imported } = runtimeWithImports(Promise.resolve(), new Set(['bad']));
  const archives = serveImageArchives(rt, dir, quiet);
  await assert.rejects(rt.pullImage('redis:7'), (e: unknown) => e instanceof RuntimeError && e.reason === 'ErrImagePull');
  await archives.preloaded;
  assert.deepEqual(imported, ['busybox']);
  assert.ok(await rt.pullImage('busybox:latest'));
});

test('image archives: a missing directory preloads nothing and pulls behave as before', async () => {
  const { rt } = runtimeWithImports(Promise.resolve());
  rt.addImage('docker.io/library/busybox:latest');
  const archives = serveImageArchives(rt, '/nonexistent/k8ts-images', quiet);
  await archives.preloaded;
  assert.ok(await rt.pullImage('busybox'));
  await assert.rejects(rt.pullImage('nginx'), /no registry/);
});

test('image archives: the delayed preload starts at once when a pull needs it', async (t) => {
  const dir = await archiveDir(['nginx.tar']);
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { rt, imported } = runtimeWithImports(Promise.resolve());
  const archives = serveImageArchives(rt, dir, quiet, { delayMs: 3_600_000 });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(imported, [], 'nothing imported before the delay');
  assert.ok(await rt.pullImage('nginx'));
  await archives.preloaded;
  assert.deepEqual(imported, ['nginx']);
});
