// ClusterIP and NodePort allocation for services, on top of StrategyContext reservations:
// a value is owned by the service whose write reserved `/registry/allocations/...` for it.
//
// Contract: functions mutate the service (filling clusterIP(s) / nodePort /
// healthCheckNodePort) and queue ctx.reserve()/ctx.release() that commit atomically with the
// write. Free values are picked at random (then probed linearly) so that retries after a
// lost race pick differently. A user-specified value that is out of range or taken throws a
// 422 Invalid StatusError with upstream's message.
import { Errors, FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { StrategyContext } from '../../registry/types.js';
import { asArray, asRecord, child, index, isSet } from '../common/field-path.js';
import { isIPv4 } from '../common/name-validation.js';
import { FIRST_DYNAMIC_OFFSET, intToIP, parseIPv4CIDR, usableOffset } from './ip-range.js';

type Rec = Record<string, any>;
export type Random = () => number;

export const clusterIPKey = (ip: string): string => `/registry/allocations/clusterips/${ip}`;
export const nodePortKey = (port: number): string => `/registry/allocations/nodeports/${port}`;

function invalid(svc: KubeObject, errs: FieldError[]): never {
  throw Errors.invalid('Service', svc.metadata.name ?? '', errs);
}

export const needsClusterIP = (svc: KubeObject): boolean => asRecord(svc.spec).type !== 'ExternalName';

export function needsNodePorts(svc: KubeObject): boolean {
  const spec = asRecord(svc.spec);
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** NodePorts are allocated automatically (LoadBalancer may opt out). */
function allocatesNodePorts(svc: KubeObject): boolean {
  const spec = asRecord(svc.spec);
  return spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
}

export function needsHealthCheckNodePort(svc: KubeObject): boolean {
  const spec = asRecord(svc.spec);
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** The allocated (real) cluster IP of a service, if any. */
export function ownedClusterIP(svc: KubeObject | undefined): string | undefined {
  const ip = asRecord(svc?.spec).clusterIP;
  return typeof ip === 'string' && isIPv4(ip) ? ip : undefined;
}

/** Node ports held by a service: ports[*].nodePort and healthCheckNodePort. */
export function ownedNodePorts(svc: KubeObject | undefined): Set<number> {
  const spec = asRecord(svc?.spec);
  const out = new Set<number>();
  for (const p of asArray(spec.ports)) {
    const np = asRecord(p).nodePort;
    if (typeof np === 'number' && np > 0) out.add(np);
  }
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) out.add(spec.healthCheckNodePort);
  return out;
}

/**
 * Gives the service a cluster IP unless it has one it owns (`owned`) or needs none
 * (ExternalName, headless `None`). A requested IP must be usable and free.
 */
export async function allocateClusterIP(svc: KubeObject, ctx: StrategyContext, owned: string | undefined, random: Random): Promise<void> {
  if (!needsClusterIP(svc)) return;
  const spec = svc.spec as Rec;
  const requested = spec.clusterIP;
  if (requested === 'None') { spec.clusterIPs = ['None']; return; }
  if (isSet(requested) && requested !== '') {
    if (requested === owned) return;
    if (owned !== undefined || !isIPv4(requested)) return; // a change of IP or a bad IP: validation reports it
    const range = parseIPv4CIDR(ctx.options.serviceCIDR);
    const field = 'spec.clusterIPs';
    if (usableOffset(range, requested) === undefined) {
      invalid(svc, [FieldErrors.invalid(field, [requested], `failed to allocate IP ${requested}: provided IP is not in the valid range. The range of valid IPs is ${range.cidr}`)]);
    }
    if (await ctx.isReserved(clusterIPKey(requested))) {
      invalid(svc, [FieldErrors.invalid(field, [requested], `failed to allocate IP ${requested}: provided IP is already allocated`)]);
    }
    ctx.reserve(clusterIPKey(requested));
    spec.clusterIPs = [requested];
    return;
  }
  const range = parseIPv4CIDR(ctx.options.serviceCIDR);
  const count = range.size - 1 - FIRST_DYNAMIC_OFFSET; // offsets FIRST_DYNAMIC_OFFSET .. size-2
  const start = count > 0 ? Math.floor(random() * count) : 0;
  for (let i = 0; i < count; i++) {
    const ip = intToIP(range.base + FIRST_DYNAMIC_OFFSET + ((start + i) % count));
    if (await ctx.isReserved(clusterIPKey(ip))) continue;
    ctx.reserve(clusterIPKey(ip));
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return;
  }
  throw Errors.internal('failed to allocate a serviceIP: range is full');
}

class NodePortPicker {
  readonly taken = new Set<number>();
  constructor(private readonly svc: KubeObject, private readonly ctx: StrategyContext, private readonly owned: Set<number>, private readonly random: Random) {}

  /** Claims a requested port; throws 422 when it is out of range or held by another service. */
  async claim(port: number, field: string): Promise<void> {
    if (this.taken.has(port)) return;
    const [lo, hi] = this.ctx.options.nodePortRange;
    if (!this.owned.has(port)) {
      if (port < lo || port > hi) {
        invalid(this.svc, [FieldErrors.invalid(field, port, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`)]);
      }
      if (await this.ctx.isReserved(nodePortKey(port))) invalid(this.svc, [FieldErrors.invalid(field, port, 'provided port is already allocated')]);
      this.ctx.reserve(nodePortKey(port));
    }
    this.taken.add(port);
  }

  async next(): Promise<number> {
    const [lo, hi] = this.ctx.options.nodePortRange;
    const count = hi - lo + 1;
    const start = Math.floor(this.random() * count);
    for (let i = 0; i < count; i++) {
      const port = lo + ((start + i) % count);
      if (this.taken.has(port) || this.owned.has(port)) continue;
      if (await this.ctx.isReserved(nodePortKey(port))) continue;
      this.ctx.reserve(nodePortKey(port));
      this.taken.add(port);
      return port;
    }
    throw Errors.internal('failed to allocate a nodePort: range is full');
  }
}

/**
 * Claims requested node ports and allocates the missing ones. Ports with the same port
 * number share one node port (as upstream does for TCP+UDP pairs). `owned` are the ports
 * this service already holds (they need no new reservation).
 * Returns the set of node ports the service holds afterwards.
 */
export async function allocateNodePorts(svc: KubeObject, ctx: StrategyContext, owned: Set<number>, random: Random): Promise<Set<number>> {
  const spec = asRecord(svc.spec);
  if (!needsNodePorts(svc)) return new Set();
  const picker = new NodePortPicker(svc, ctx, owned, random);
  const ports = asArray<Rec>(spec.ports).map(asRecord);
  const byPort = new Map<number, number>();
  for (const [i, p] of ports.entries()) {
    if (typeof p.nodePort === 'number' && p.nodePort > 0) {
      await picker.claim(p.nodePort, child(index('spec.ports', i), 'nodePort'));
      if (!byPort.has(p.port)) byPort.set(p.port, p.nodePort);
    }
  }
  if (allocatesNodePorts(svc)) {
    for (const p of ports) {
      if (typeof p.nodePort === 'number' && p.nodePort > 0) continue;
      let np = byPort.get(p.port);
      if (np === undefined) {
        np = await picker.next();
        byPort.set(p.port, np);
      }
      p.nodePort = np;
    }
  }
  if (needsHealthCheckNodePort(svc)) {
    const hc = spec.healthCheckNodePort;
    if (typeof hc === 'number' && hc > 0) await picker.claim(hc, 'spec.healthCheckNodePort');
    else (svc.spec as Rec).healthCheckNodePort = await picker.next();
  }
  return picker.taken;
}

/** Releases what `old` held and `kept` no longer does. */
export function releaseUnused(ctx: StrategyContext, old: KubeObject, keptIP: string | undefined, keptPorts: Set<number>): void {
  const ip = ownedClusterIP(old);
  if (ip !== undefined && ip !== keptIP) ctx.release(clusterIPKey(ip));
  for (const port of ownedNodePorts(old)) if (!keptPorts.has(port)) ctx.release(nodePortKey(port));
}
