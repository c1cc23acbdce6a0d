// A node's pod network on the host: bridge, routes and the leak guards of ENVIRONMENT.md
// "Network safety". Every simulated node of a local cluster shares the host's network namespace,
// so each node's bridge route makes its podCIDR reachable from the host and from the other
// nodes' pods (host-gateway style on one host).
//
// ensureNodeNetwork (idempotent; safe to call on every kubelet start):
//   1. bridge <bridge> with the gateway address (first host of podCIDR), up; the kernel's
//      connected route podCIDR → bridge is the per-node route;
//   2. `unreachable <clusterCIDR>` beneath the per-node routes: a pod IP of a node whose bridge
//      is missing fails locally instead of leaving through the default gateway;
//   3. the service CIDR routed to a local device (this bridge, unless another live k8ts bridge
//      already holds it): an un-DNATed ClusterIP never leaves the machine;
//   4. net.ipv4.ip_forward=1 and net.bridge.bridge-nf-call-iptables=1 (when br_netfilter exists);
//   5. iptables, only in k8ts-owned chains: K8TS-POSTROUTING (nat) masquerades traffic from
//      podCIDR to anything outside clusterCIDR; K8TS-FORWARD (filter) accepts traffic from/to
//      the cluster CIDR (Docker may set the FORWARD policy to DROP).
// teardownNodeNetwork removes the bridge (and with it its routes) and this node's rules; the
// cluster-wide unreachable route stays (it is a guard, and other nodes may rely on it).
// NOT handled: IPv6, hostPort mappings (kube-proxy/portmap territory).
import { readFile, writeFile } from 'node:fs/promises';
import { mustRun, runCommand } from '../sys/run-command.js';
import { cidrString, gatewayOf, parseCidr } from './cidr.js';

export interface NodeNetworkConfig {
  bridge: string;
  podCIDR: string;
  clusterCIDR: string;
  serviceCIDR: string;
}

const NAT_CHAIN = 'K8TS-POSTROUTING';
const FILTER_CHAIN = 'K8TS-FORWARD';

async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name])).code === 0;
}

async function ensureChainJump(table: string, parent: string, chain: string): Promise<void> {
  if ((await runCommand('iptables', ['-w', '-t', table, '-L', chain, '-n'])).code !== 0) {
    await mustRun('iptables', ['-w', '-t', table, '-N', chain]);
  }
  if ((await runCommand('iptables', ['-w', '-t', table, '-C', parent, '-j', chain])).code !== 0) {
    await mustRun('iptables', ['-w', '-t', table, '-I', parent, '1', '-j', chain]);
  }
}

async function ensureRule(table: string, chain: string, rule: string[]): Promise<void> {
  if ((await runCommand('iptables', ['-w', '-t', table, '-C', chain, ...rule])).code !== 0) {
    await mustRun('iptables', ['-w', '-t', table, '-A', chain, ...rule]);
  }
}

async function deleteRule(table: string, chain: string, rule: string[]): Promise<void> {
  for (let i = 0; i < 10; i++) {
    if ((await runCommand('iptables', ['-w', '-t', table, '-D', chain, ...rule])).code !== 0) return;
  }
}

function masqueradeRule(cfg: NodeNetworkConfig): string[] {
  return ['-s', cidrString(parseCidr(cfg.podCIDR)), '!', '-d', cidrString(parseCidr(cfg.clusterCIDR)),
    '-m', 'comment', '--comment', `k8ts ${cfg.bridge} pod egress`, '-j', 'MASQUERADE'];
}

function forwardRules(cfg: NodeNetworkConfig): string[][] {
  const cluster = cidrString(parseCidr(cfg.clusterCIDR));
  return [
    ['-s', cluster, '-m', 'comment', '--comment', 'k8ts pod traffic', '-j', 'ACCEPT'],
    ['-d', cluster, '-m', 'comment', '--comment', 'k8ts pod traffic', '-j', 'ACCEPT'],
  ];
}

async function sysctl(path: string, required: boolean): Promise<void> {
  let cur: string;
  try {
    cur = (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if (required) throw e;
    return;
  }
  if (cur !== '1') await writeFile(path, '1');
}

/** The device the service CIDR is routed to now, if any. */
async function serviceRouteDevice(serviceCIDR: string): Promise<string | undefined> {
  const out = (await runCommand('ip', ['-4', 'route', 'show', 'exact', serviceCIDR])).stdout;
  return /\bdev (\S+)/.exec(out)?.[1];
}

export async function ensureNodeNetwork(cfg: NodeNetworkConfig): Promise<void> {
  const pod = parseCidr(cfg.podCIDR);
  const cluster = cidrString(parseCidr(cfg.clusterCIDR));
  const service = cidrString(parseCidr(cfg.serviceCIDR));
  // Guards first: nothing of the cluster's ranges may reach the default gateway, even briefly.
  await mustRun('ip', ['route', 'replace', 'unreachable', cluster]);
  if (!(await linkExists(cfg.bridge))) {
    const r = await runCommand('ip', ['link', 'add', cfg.bridge, 'type', 'bridge']);
    if (r.code !== 0 && !(await linkExists(cfg.bridge))) throw new Error(`ip link add ${cfg.bridge} type bridge: ${r.stderr.trim()}`);
  }
  await mustRun('ip', ['addr', 'replace', `${gatewayOf(cfg.podCIDR)}/${pod.prefix}`, 'dev', cfg.bridge]);
  await mustRun('ip', ['link', 'set', cfg.bridge, 'up']);
  const dev = await serviceRouteDevice(service);
  if (!dev || !(await linkExists(dev))) await mustRun('ip', ['route', 'replace', service, 'dev', cfg.bridge]);
  await sysctl('/proc/sys/net/ipv4/ip_forward', true);
  // Bridged pod-to-pod packets must traverse iptables, or a pod → ClusterIP → same-bridge pod
  // reply bypasses conntrack's un-DNAT (needs br_netfilter; skipped where it does not exist).
  await sysctl('/proc/sys/net/bridge/bridge-nf-call-iptables', false);
  await ensureChainJump('nat', 'POSTROUTING', NAT_CHAIN);
  await ensureRule('nat', NAT_CHAIN, masqueradeRule(cfg));
  await ensureChainJump('filter', 'FORWARD', FILTER_CHAIN);
  for (const r of forwardRules(cfg)) await ensureRule('filter', FILTER_CHAIN, r);
}

/** Removes the node's bridge and masquerade rule (tests, node removal). Idempotent. */
export async function teardownNodeNetwork(cfg: NodeNetworkConfig): Promise<void> {
  const service = cidrString(parseCidr(cfg.serviceCIDR));
  const hadService = (await serviceRouteDevice(service)) === cfg.bridge;
  if (await linkExists(cfg.bridge)) await mustRun('ip', ['link', 'del', cfg.bridge]);
  // Keep the service CIDR local even without this bridge: another node may re-route it.
  if (hadService || !(await serviceRouteDevice(service))) {
    await runCommand('ip', ['route', 'replace', 'unreachable', service]);
  }
  await deleteRule('nat', NAT_CHAIN, masqueradeRule(cfg));
}
