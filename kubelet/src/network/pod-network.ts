// A pod's own namespaces on the host: a named network namespace (`ip netns`, /run/netns/<name>)
// with eth0 (one end of a veth pair whose host end joins the node bridge in hairpin mode, so a
// pod reaches itself through its own ClusterIP), lo up and a default
// route via the bridge; and a persistent UTS namespace (/run/k8ts/uts/<name>) carrying the
// pod's hostname. Every container of the pod joins both, so they share localhost and hostname.
//
// Contract:
// - setupPodNetwork is idempotent: an existing netns/veth/address is reused, not duplicated.
// - teardownPodNetwork removes the veth (deleting the netns deletes its peer), the netns and
//   the UTS namespace; tolerates any of them being gone.
// NOT handled: IPAM (network/ipam.ts), bridge and host routes (network/node-network.ts).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun, runCommand } from '../sys/run-command.js';

export const NETNS_DIR = '/run/netns';
export const UTS_DIR = '/run/k8ts/uts';

export interface PodNetworkConfig {
  netns: string;
  hostVeth: string;
  bridge: string;
  ip: string;
  prefix: number;
  gateway: string;
  hostname: string;
}

export function netnsPath(netns: string): string {
  return join(NETNS_DIR, netns);
}

export function utsPath(netns: string): string {
  return join(UTS_DIR, netns);
}

async function exists(cmd: string[]): Promise<boolean> {
  return (await runCommand(cmd[0]!, cmd.slice(1))).code === 0;
}

export async function setupPodNetwork(cfg: PodNetworkConfig): Promise<void> {
  if (!(await exists(['ip', 'netns', 'exec', cfg.netns, 'true']))) {
    await mustRun('ip', ['netns', 'add', cfg.netns]);
  }
  if (!(await exists(['ip', 'link', 'show', 'dev', cfg.hostVeth]))) {
    await mustRun('ip', ['link', 'add', cfg.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', cfg.netns]);
  }
  await mustRun('ip', ['-batch', '-'], { input: `link set ${cfg.hostVeth} master ${cfg.bridge}\nlink set dev ${cfg.hostVeth} type bridge_slave hairpin on\nlink set ${cfg.hostVeth} up\n` });
  await mustRun('ip', ['-n', cfg.netns, '-force', '-batch', '-'], {
    input: [
      `addr replace ${cfg.ip}/${cfg.prefix} dev eth0`,
      'link set eth0 up',
      'link set lo up',
      `route replace default via ${cfg.gateway} dev eth0`,
      '',
    ].join('\n'),
  });
  await setupUts(cfg.netns, cfg.hostname);
}

/** A persistent UTS namespace with the pod's hostname (also used by hostNetwork-less pods only). */
export async function setupUts(name: string, hostname: string): Promise<void> {
  await mkdir(UTS_DIR, { recursive: true });
  const path = utsPath(name);
  if (await exists(['nsenter', `--uts=${path}`, 'true'])) return;
  await writeFile(path, '');
  await mustRun('unshare', [`--uts=${path}`, 'hostname', hostname.slice(0, 63)]);
}

export async function teardownPodNetwork(netns: string, hostVeth: string): Promise<void> {
  await runCommand('ip', ['link', 'del', hostVeth]);
  await runCommand('ip', ['netns', 'del', netns]);
  await runCommand('umount', [utsPath(netns)]);
  await rm(utsPath(netns), { force: true });
}

/** The namespace's IPv4 address on eth0, if the namespace exists. */
export async function podIp(netns: string): Promise<string | undefined> {
  const r = await runCommand('ip', ['-n', netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
  return r.code === 0 ? /inet (\d+\.\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}
