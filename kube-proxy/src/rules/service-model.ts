// From API objects to what the rules need: one ServicePortRule per (Service, port), with the
// ready endpoints of that port. Pure.
//
// Contract:
// - Services without a usable ClusterIP (headless `None`, empty, or not IPv4) produce no rule:
//   headless services are DNS-only, as upstream.
// - An endpoint belongs to a service port when the Endpoints subset has a port with the same
//   name (both unnamed counts as the same) and protocol; only `addresses` (ready) are used,
//   never `notReadyAddresses`. Duplicate ip:port pairs are collapsed; endpoints are sorted
//   so that the rendered text is stable.
// - type LoadBalancer is handled like NodePort (no cloud: its external IP stays pending).
// - A port whose protocol iptables cannot match (anything but TCP/UDP/SCTP) is skipped and
//   reported in `skipped` with the reason, so one bad service never breaks the others.
import type { KubeObject } from '@k8ts/shared';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Endpoint { ip: string; port: number }

export interface ServicePortRule {
  /** `ns/name:portName` (`ns/name` when the port is unnamed), as upstream prints it. */
  name: string;
  namespace: string;
  service: string;
  clusterIP: string;
  port: number;
  protocol: Protocol;
  nodePort?: number;
  /** ClientIP affinity timeout in seconds, when sessionAffinity is ClientIP. */
  affinitySeconds?: number;
  endpoints: Endpoint[];
}

export interface ServiceModel {
  rules: ServicePortRule[];
  skipped: { service: string; reason: string }[];
}

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4 = { test: (s: string): boolean => { const m = IPV4_RE.exec(s); return !!m && m.slice(1).every((o) => Number(o) <= 255); } };
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

export function buildServiceModel(services: KubeObject[], endpoints: KubeObject[]): ServiceModel {
  const epByKey = new Map<string, KubeObject>();
  for (const ep of endpoints) epByKey.set(`${ep.metadata.namespace}/${ep.metadata.name}`, ep);
  const rules: ServicePortRule[] = [];
  const skipped: ServiceModel['skipped'] = [];
  for (const svc of services) {
    const ns = svc.metadata.namespace ?? 'default';
    const name = svc.metadata.name!;
    const key = `${ns}/${name}`;
    const spec = svc.spec ?? {};
    const clusterIP: string | undefined = spec.clusterIP;
    if (!clusterIP || clusterIP === 'None' || !IPV4.test(clusterIP)) continue;
    if (spec.type === 'ExternalName') continue;
    const ep = epByKey.get(key);
    const affinitySeconds = spec.sessionAffinity === 'ClientIP'
      ? Number(spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800)
      : undefined;
    for (const p of (spec.ports ?? []) as any[]) {
      const protocol = String(p.protocol ?? 'TCP').toUpperCase();
      const portName = p.name ?? '';
      const ruleName = portName ? `${key}:${portName}` : key;
      if (!PROTOCOLS.has(protocol)) {
        skipped.push({ service: ruleName, reason: `protocol ${protocol} is not supported` });
        continue;
      }
      const port = Number(p.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        skipped.push({ service: ruleName, reason: `invalid port ${p.port}` });
        continue;
      }
      const rule: ServicePortRule = {
        name: ruleName, namespace: ns, service: name, clusterIP, port, protocol: protocol as Protocol,
        endpoints: endpointsFor(ep, portName, protocol),
      };
      if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && Number.isInteger(p.nodePort) && p.nodePort > 0) {
        rule.nodePort = p.nodePort;
      }
      if (affinitySeconds !== undefined) rule.affinitySeconds = affinitySeconds;
      rules.push(rule);
    }
  }
  rules.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
  return { rules, skipped };
}

function endpointsFor(ep: KubeObject | undefined, portName: string, protocol: string): Endpoint[] {
  if (!ep) return [];
  const seen = new Set<string>();
  const out: Endpoint[] = [];
  for (const subset of (ep.subsets ?? []) as any[]) {
    const port = ((subset.ports ?? []) as any[]).find((sp) => (sp.name ?? '') === portName && String(sp.protocol ?? 'TCP').toUpperCase() === protocol);
    if (!port || !Number.isInteger(port.port)) continue;
    for (const a of (subset.addresses ?? []) as any[]) {
      if (typeof a.ip !== 'string' || !IPV4.test(a.ip)) continue;
      const id = `${a.ip}:${port.port}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ ip: a.ip, port: port.port });
    }
  }
  out.sort((a, b) => (a.ip === b.ip ? a.port - b.port : compareIPs(a.ip, b.ip)));
  return out;
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}
