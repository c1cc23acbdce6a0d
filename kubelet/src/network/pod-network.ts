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
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

async function pathExists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

async function isMountPoint(p: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === p);
}

// Three processes for a fresh pod (host batch, pod batch, unshare): each `ip` run costs ~5 ms
// on an idle machine and far more under load, so existence checks read /run and /sys instead.
export async function setupPodNetwork(cfg: PodNetworkConfig): Promise<void> {
  const host: string[] = [];
  if (!(await pathExists(netnsPath(cfg.netns)))) host.push(`netns add ${cfg.netns}`);
  if (!(await pathExists(`/sys/class/net/${cfg.hostVeth}`))) host.push(`link add ${cfg.hostVeth} type veth peer name eth0 netns ${cfg.netns}`);
  host.push(`link set ${cfg.hostVeth} master ${cfg.bridge}`, `link set dev ${cfg.hostVeth} type bridge_slave hairpin on`, `link set ${cfg.hostVeth} up`, '');
  await mustRun('ip', ['-batch', '-'], { input: host.join('\n') });
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

/** A persistent UTS namespace with the pod's hostname. */
export async function setupUts(name: string, hostname: string): Promise<void> {
  await mkdir(UTS_DIR, { recursive: true });
  const path = utsPath(name);
  if ((await pathExists(path)) && (await isMountPoint(path))) return;
  await writeFile(path, '');
  await mustRun('unshare', [`--uts=${path}`, 'hostname', hostname.slice(0, 63)]);
}

export async function teardownPodNetwork(netns: string, hostVeth: string): Promise<void> {
  const cmds = [
    ...(await pathExists(`/sys/class/net/${hostVeth}`)) ? [`link del ${hostVeth}`] : [],
    ...(await pathExists(netnsPath(netns))) ? [`netns del ${netns}`] : [],
  ];
  if (cmds.length) await runCommand('ip', ['-force', '-batch', '-'], { input: cmds.join('\n') + '\n' });
  if (await isMountPoint(utsPath(netns))) await runCommand('umount', [utsPath(netns)]);
  await rm(utsPath(netns), { force: true });
}

/** The namespace's IPv4 address on eth0, if the namespace exists. */
export async function podIp(netns: string): Promise<string | undefined> {
  const r = await runCommand('ip', ['-n', netns, '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
  return r.code === 0 ? /inet (\d+\.\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}
