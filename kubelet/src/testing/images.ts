// The workload image tarballs for integration tests: built by images/build.sh on first use
// (busybox ~2 s; nginx ~1 min with mmdebstrap) and cached in $K8TS_IMAGES_DIR or <repo>/.k8ts/images.
//
// Contract: resolves the tarball paths once they exist; rejects with the build's output if the
// build fails (root and the `images` + `node` package sets are required).
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../sys/run-command.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export function imagesDir(): string {
  return resolve(REPO_ROOT, process.env.K8TS_IMAGES_DIR ?? '.k8ts/images');
}

export async function ensureTestImages(names: string[] = ['busybox', 'nginx']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const n of names) {
    out[n] = join(imagesDir(), `${n}.tar`);
    try { await access(out[n]!); } catch { missing.push(n); }
  }
  if (missing.length) {
    const r = await runCommand('bash', [join(REPO_ROOT, 'images', 'build.sh'), ...missing], {
      timeoutMs: 600_000, env: { ...process.env, K8TS_IMAGES_DIR: imagesDir() },
    });
    if (r.code !== 0) throw new Error(`images/build.sh ${missing.join(' ')} failed: ${r.stderr || r.stdout}`);
  }
  return out;
}
