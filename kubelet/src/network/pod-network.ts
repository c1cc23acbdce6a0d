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
// - setupPodNetwork runs one script in the shell worker (see SETUP_SCRIPT); its error carries
//   the failing command's message.
// NOT handled: IPAM (network/ipam.ts), bridge and host routes (network/node-network.ts).
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../sys/run-command.js';
import { ShellWorker } from '../sys/shell-worker.js';

let worker: ShellWorker | undefined;
/** The process's shell worker for network scripts (started at first use). */
const shell = (): ShellWorker => (worker ??= new ShellWorker());

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

// ONE script for a fresh pod: the host batch, the pod batch and unshare, run by the kubelet's
// long-lived shell (sys/shell-worker.ts). Each spawn from the kubelet costs its main thread a
// fork of the whole Node process (~15-40 ms of CPU under load, measured with a CPU profile
// during bench:pods: 3 spawns per pod were 14% of the kubelet's CPU, then one was still ~15%);
// the shell's own forks of `ip` are cheap. Existence checks read /run and /sys instead of
// running `ip`.
const SETUP_SCRIPT = [
  'set -e',
  // a host veth left from a namespace that is gone: its peer went with the namespace, and the
  // kernel removes it asynchronously, so it may vanish under the batch; remove it first
  'if [ -n "$6" ]; then ip link del "$6" 2>/dev/null || true; fi',
  'printf "%s" "$1" | ip -batch -',
  'printf "%s" "$2" | ip -n "$3" -force -batch -',
  'if [ -n "$4" ]; then : > "$4"; unshare --uts="$4" hostname "$5"; fi',
].join('\n');

export async function setupPodNetwork(cfg: PodNetworkConfig): Promise<void> {
  const host: string[] = [];
  const freshNetns = !(await pathExists(netnsPath(cfg.netns)));
  if (freshNetns) host.push(`netns add ${cfg.netns}`);
  if (freshNetns || !(await pathExists(`/sys/class/net/${cfg.hostVeth}`))) host.push(`link add ${cfg.hostVeth} type veth peer name eth0 netns ${cfg.netns}`);
  host.push(`link set ${cfg.hostVeth} master ${cfg.bridge}`, `link set dev ${cfg.hostVeth} type bridge_slave hairpin on`, `link set ${cfg.hostVeth} up`, '');
  const pod = [
    `addr replace ${cfg.ip}/${cfg.prefix} dev eth0`,
    'link set eth0 up',
    'link set lo up',
    `route replace default via ${cfg.gateway} dev eth0`,
    '',
  ].join('\n');
  const uts = (await utsNeeded(cfg.netns)) ? utsPath(cfg.netns) : '';
  // a leftover host veth is looked for here (an `ip link del` that usually fails costs a process)
  const leftoverVeth = freshNetns && (await pathExists(`/sys/class/net/${cfg.hostVeth}`));
  const r = await shell().run(SETUP_SCRIPT, [host.join('\n'), pod, cfg.netns, uts, cfg.hostname.slice(0, 63), leftoverVeth ? cfg.hostVeth : '']);
  if (r.code !== 0) throw new Error(`pod network ${cfg.netns}: exit ${r.code}: ${r.stdout.trim()}`);
}

/** Whether the pod's persistent UTS namespace still has to be made (the directory is created). */
async function utsNeeded(name: string): Promise<boolean> {
  await mkdir(UTS_DIR, { recursive: true });
  const path = utsPath(name);
  return !((await pathExists(path)) && (await isMountPoint(path)));
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
