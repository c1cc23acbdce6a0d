// Pod-CIDR routes between nodes that live in separate network namespaces (the Compose
// deployment's node containers): host-gateway style, one route `<node's podCIDR> via <its
// InternalIP>` for every OTHER node, kept in sync with the Nodes in the API.
//
// Contract:
// - desiredPodCidrRoutes is pure: a node contributes a route only when it is not this node,
//   has a spec.podCIDR (IPv4) inside the cluster CIDR and an IPv4 InternalIP outside it.
//   Two nodes claiming one podCIDR: the first by name wins (deterministic).
// - planRouteChanges is pure: routes to replace (new or changed gateway) and to delete (ours,
//   no longer wanted). Only routes this syncer owns (protocol POD_ROUTE_PROTO) are ever touched,
//   so the kubelet's bridge route, the `unreachable` cluster-CIDR guard and Docker's routes stay.
// - IpRouteTable applies a plan with `ip route replace|del ... proto POD_ROUTE_PROTO`; a failed
//   command is reported and retried on the next sync (the caller resyncs periodically).
// Not handled: IPv6, dual-stack podCIDRs, overlay/encapsulation (nodes must share an L2 network).
import { execFile } from 'node:child_process';
import type { KubeObject } from '@k8ts/shared';

/** Routing protocol number marking the routes this syncer owns (`ip route ... proto 201`). */
export const POD_ROUTE_PROTO = '201';

export interface NodeLike extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[] };
  status?: { addresses?: { type: string; address: string }[] };
}

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function parseCidr4(cidr: string): { base: number; prefix: number } | undefined {
  const [ip, len] = cidr.split('/');
  const base = ip === undefined ? undefined : ipToInt(ip);
  const prefix = Number(len);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (base & mask) >>> 0, prefix };
}

function contains(outer: { base: number; prefix: number }, ip: number, prefix = 32): boolean {
  if (prefix < outer.prefix) return false;
  const mask = outer.prefix === 0 ? 0 : (0xffffffff << (32 - outer.prefix)) >>> 0;
  return ((ip & mask) >>> 0) === outer.base;
}

/** Canonical "a.b.c.d/n" of a CIDR (host bits cleared), or undefined when not IPv4. */
export function canonicalCidr(cidr: string): string | undefined {
  const c = parseCidr4(cidr);
  if (!c) return undefined;
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** podCIDR → gateway (the node's InternalIP), for every other node. */
export function desiredPodCidrRoutes(nodes: readonly NodeLike[], selfName: string, clusterCIDR: string): Map<string, string> {
  const cluster = parseCidr4(clusterCIDR);
  if (!cluster) throw new Error(`invalid cluster CIDR ${clusterCIDR}`);
  const out = new Map<string, string>();
  const sorted = [...nodes].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const n of sorted) {
    if (!n.metadata?.name || n.metadata.name === selfName) continue;
    const raw = n.spec?.podCIDR ?? n.spec?.podCIDRs?.[0];
    const cidr = raw ? parseCidr4(raw) : undefined;
    if (!cidr || !contains(cluster, cidr.base, cidr.prefix)) continue;
    const ipStr = n.status?.addresses?.find((a) => a.type === 'InternalIP' && ipToInt(a.address) !== undefined)?.address;
    const ip = ipStr === undefined ? undefined : ipToInt(ipStr);
    if (ip === undefined || contains(cluster, ip)) continue;
    const key = canonicalCidr(raw!)!;
    if (!out.has(key)) out.set(key, ipStr!);
  }
  return out;
}

export interface RoutePlan {
  replace: { dst: string; via: string }[];
  remove: string[];
}

export function planRouteChanges(current: ReadonlyMap<string, string>, desired: ReadonlyMap<string, string>): RoutePlan {
  const replace = [...desired].filter(([dst, via]) => current.get(dst) !== via).map(([dst, via]) => ({ dst, via }));
  const remove = [...current.keys()].filter((dst) => !desired.has(dst));
  return { replace, remove };
}

export interface RouteTable {
  /** Routes this syncer owns: dst → gateway. */
  list(): Promise<Map<string, string>>;
  replace(dst: string, via: string): Promise<void>;
  remove(dst: string): Promise<void>;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** The kernel's main table through iproute2, restricted to protocol POD_ROUTE_PROTO. */
export class IpRouteTable implements RouteTable {
  async list(): Promise<Map<string, string>> {
    const out = await run('ip', ['-4', '-j', 'route', 'show', 'proto', POD_ROUTE_PROTO]);
    const rows = JSON.parse(out.trim() || '[]') as { dst?: string; gateway?: string }[];
    const m = new Map<string, string>();
    for (const r of rows) if (r.dst && r.gateway) m.set(canonicalCidr(r.dst) ?? r.dst, r.gateway);
    return m;
  }
  async replace(dst: string, via: string): Promise<void> {
    await run('ip', ['route', 'replace', dst, 'via', via, 'proto', POD_ROUTE_PROTO]);
  }
  async remove(dst: string): Promise<void> {
    await run('ip', ['route', 'del', dst, 'proto', POD_ROUTE_PROTO]);
  }
}

/** One sync: read our routes, apply the plan. Returns the errors (each also left for the next sync). */
export async function syncPodCidrRoutes(table: RouteTable, desired: ReadonlyMap<string, string>): Promise<{ plan: RoutePlan; errors: Error[] }> {
  const plan = planRouteChanges(await table.list(), desired);
  const errors: Error[] = [];
  for (const r of plan.replace) await table.replace(r.dst, r.via).catch((e: Error) => { errors.push(e); });
  for (const d of plan.remove) await table.remove(d).catch((e: Error) => { errors.push(e); });
  return { plan, errors };
}
