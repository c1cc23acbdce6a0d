// Host preparation for the node side of a local cluster, run by `up` right before a component
// starts (ComponentSpec.beforeStart).
//
// Contract: idempotent; throws CliError with what to do when it cannot (not root, containerd
// unreachable, image tarballs missing).
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { ContainerdRuntime } from '@k8ts/kubelet/runtime/containerd/index';
import { bridgeNameForNode } from '@k8ts/kubelet/network/names';
import { teardownNodeNetwork } from '@k8ts/kubelet/network/node-network';
import { CliError } from './cli-error.js';

/** The workload images every node gets (built by `npm run images`). */
export const WORKLOAD_IMAGES = ['busybox', 'nginx'] as const;

export function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e) => rej(new CliError(`cannot run ${cmd} (install the 'node' package set: scripts/install-deps.sh node): ${e.message}`)));
    child.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
  });
}

export function ctr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.env.CTR_BIN ?? 'ctr', args);
}

/** Adds `ip`/32 to `lo` (where the cluster DNS listens), unless it is already there. */
export async function ensureLoopbackAddress(ip: string): Promise<void> {
  const show = await run('ip', ['-4', 'addr', 'show', 'dev', 'lo']);
  if (show.stdout.includes(` ${ip}/`)) return;
  const r = await run('ip', ['addr', 'add', `${ip}/32`, 'dev', 'lo']);
  if (r.code !== 0) throw new CliError(`cannot add ${ip}/32 to lo for the cluster DNS (k8ts nodes need root): ${r.stderr.trim()}`);
}

/** Imports the workload images into a node's containerd namespace, skipping those already there. */
export async function loadNodeImages(socket: string, namespace: string, imagesDir: string): Promise<void> {
  const ls = await ctr(['-a', socket, '-n', namespace, 'images', 'ls', '-q']);
  if (ls.code !== 0) throw new CliError(`containerd is not answering at ${socket}: ${ls.stderr.trim()}`);
  const present = new Set(ls.stdout.split('\n').map((s) => s.trim()));
  for (const name of WORKLOAD_IMAGES) {
    if (present.has(`docker.io/library/${name}:latest`)) continue;
    const file = join(imagesDir, `${name}.tar`);
    try { await access(file); } catch {
      throw new CliError(`the workload image ${name} is missing (${file}); build it: npm run images`);
    }
    const r = await ctr(['-a', socket, '-n', namespace, 'images', 'import', file]);
    if (r.code !== 0) throw new CliError(`importing ${file} into ${namespace} failed: ${(r.stderr || r.stdout).trim()}`);
  }
}

/**
 * Removes every pod container and sandbox of the given nodes from the cluster's containerd
 * (which must still run), then each node's bridge: what `down` does so that no pod outlives
 * its cluster. Errors are collected and returned as messages (down goes on regardless).
 */
export async function removeNodePods(
  socket: string, nodes: { node: string; stateDir: string }[], net: { clusterCidr: string; serviceClusterIpRange: string },
): Promise<void> {
  for (const { node, stateDir } of nodes) {
    const runtime = new ContainerdRuntime({ socket, nodeName: node, stateDir, manageNodeNetwork: false });
    try {
      await runtime.removeAllPods();
    } catch {
      // best effort: a node that never ran has nothing to remove
    } finally {
      runtime.close();
    }
    const bridge = bridgeNameForNode(node);
    // the node's pod CIDR is the bridge's own address (gateway/len), which teardown masks
    const addr = /inet (\d+\.\d+\.\d+\.\d+\/\d+)/.exec((await run('ip', ['-4', 'addr', 'show', 'dev', bridge])).stdout)?.[1];
    if (addr) await teardownNodeNetwork({ bridge, podCIDR: addr, clusterCIDR: net.clusterCidr, serviceCIDR: net.serviceClusterIpRange }).catch(() => undefined);
  }
}
