// `k8ts image load FILE.tar...`: imports OCI-layout or docker-archive image tarballs into the
// local cluster's containerd, once per node namespace — there is no registry, so this is how
// images reach the nodes (`npm run images` builds the standard busybox and nginx tarballs).
//
// Contract: the node namespaces are every existing `k8ts-*` namespace of <state>/containerd's
// containerd plus `k8ts-<node>` for each configured node (so loading before a kubelet ever ran
// works); a tarball that does not exist fails before anything is imported; prints one line per
// image and namespace; throws CliError if containerd is not running or an import fails.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli-error.js';
import { loadCommandContext, type CommandOptions } from '../command-context.js';
import { ctr } from '../node-prepare.js';

/** Where `k8ts up` runs the cluster's one containerd (kubelet/src/runtime/containerd/containerd-config.ts). */
export function containerdSocket(stateRoot: string): string {
  return join(stateRoot, 'containerd', 'containerd.sock');
}

export async function imageLoad(opts: CommandOptions & { files: string[] }): Promise<void> {
  const ctx = await loadCommandContext(opts);
  const files = opts.files.map((f) => resolve(f));
  for (const f of files) {
    try { await access(f); } catch { throw new CliError(`no such image tarball: ${f}`); }
  }
  const socket = containerdSocket(ctx.layout.root);
  const ls = await ctr(['-a', socket, 'namespaces', 'ls', '-q']);
  if (ls.code !== 0) throw new CliError(`containerd is not running at ${socket} (start the cluster with: npm run up): ${ls.stderr.trim()}`);
  const namespaces = new Set(ls.stdout.split('\n').map((s) => s.trim()).filter((s) => s.startsWith('k8ts-')));
  for (const n of ctx.config.nodeNames) namespaces.add(`k8ts-${n}`);
  for (const ns of [...namespaces].sort()) {
    for (const f of files) {
      const r = await ctr(['-a', socket, '-n', ns, 'images', 'import', f]);
      if (r.code !== 0) throw new CliError(`importing ${f} into ${ns} failed: ${(r.stderr || r.stdout).trim()}`);
      for (const m of r.stdout.matchAll(/unpacking (\S+) \((sha256:[0-9a-f]+)\)/g)) ctx.out(`${ns}: loaded ${m[1]} (${m[2]!.slice(0, 19)})`);
    }
  }
}
