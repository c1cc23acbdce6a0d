// Pure: a Service plus the pods its selector matches → the Endpoints subsets upstream's
// endpoints controller writes (pkg/controller/endpoint syncService + RepackSubsets).
//
// Rules (upstream facts):
// - A pod is included when it has status.podIP, is not terminal (Failed/Succeeded) and is not
//   terminating (deletionTimestamp), unless spec.publishNotReadyAddresses tolerates it.
// - Ready pods (condition Ready=True), or every included pod when publishNotReadyAddresses,
//   go under `addresses`; the rest under `notReadyAddresses`.
// - Each address: ip, nodeName, targetRef {kind Pod, namespace, name, uid}, and hostname when
//   the service is headless and the pod's spec.subdomain is the service name.
// - Each service port resolves per pod: a numeric targetPort as is (unset → port), a named
//   one against the pod's container ports (same name and protocol). A pod lacking the named
//   port is left out of that port's subset (and logged by the caller through `unresolved`).
// - A headless service (clusterIP None) without ports → addresses with no ports.
// - Repacking: addresses sharing exactly the same port set form one subset; addresses and
//   ports are sorted so equal inputs give byte-equal output (no write when nothing changed).
// Not handled: dual-stack IP family selection (podIP is used), the 1000-address capacity
// annotation (endpoints.kubernetes.io/over-capacity).
import type { KubeObject } from '@k8ts/shared';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: 'Pod'; namespace?: string; name?: string; uid?: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface SubsetResult {
  subsets: EndpointSubset[];
  /** `pod name: why` for pods left out of a port's subset (named port missing). */
  unresolved: string[];
}

export function isPodReady(pod: KubeObject): boolean {
  const conds: unknown = pod.status?.conditions;
  return Array.isArray(conds) && conds.some((c) => c && c.type === 'Ready' && c.status === 'True');
}

export function isPodTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Failed' || phase === 'Succeeded';
}

/** upstream ShouldPodBeInEndpoints */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (typeof pod.status?.podIP !== 'string' || pod.status.podIP === '') return false;
  if (isPodTerminal(pod)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** upstream podutil.FindPort: the container port a service port targets on this pod. */
export function findPort(pod: KubeObject, svcPort: Record<string, any>): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol || 'TCP';
  for (const c of asArray(pod.spec?.containers)) {
    for (const p of asArray(c?.ports)) {
      if (p?.name === target && (p.protocol || 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}

function addressFor(service: KubeObject, pod: KubeObject): EndpointAddress {
  const a: EndpointAddress = { ip: pod.status.podIP };
  const headless = service.spec?.clusterIP === 'None';
  if (headless && pod.spec?.hostname && pod.spec?.subdomain === service.metadata.name) a.hostname = pod.spec.hostname;
  if (pod.spec?.nodeName) a.nodeName = pod.spec.nodeName;
  a.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return a;
}

export function computeSubsets(service: KubeObject, pods: readonly KubeObject[]): SubsetResult {
  const tolerateUnready = service.spec?.publishNotReadyAddresses === true;
  const svcPorts = asArray(service.spec?.ports);
  const unresolved: string[] = [];
  // address key → { address, ready, ports }
  const entries = new Map<string, { addr: EndpointAddress; ready: boolean; ports: Map<string, EndpointPort> }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = addressFor(service, pod);
    const ready = tolerateUnready || isPodReady(pod);
    const key = `${addr.ip}|${pod.metadata.uid ?? pod.metadata.name}`;
    const ports = new Map<string, EndpointPort>();
    if (svcPorts.length === 0) {
      if (service.spec?.clusterIP !== 'None') continue; // non-headless without ports: nothing to publish
    } else {
      for (const sp of svcPorts) {
        const num = findPort(pod, sp);
        if (num === undefined) {
          unresolved.push(`${pod.metadata.name}: no container port named ${JSON.stringify(sp.targetPort)} (${sp.protocol || 'TCP'})`);
          continue;
        }
        const ep: EndpointPort = { port: num, protocol: sp.protocol || 'TCP' };
        if (sp.name) ep.name = sp.name;
        if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
        ports.set(portKey(ep), ep);
      }
      if (ports.size === 0) continue;
    }
    entries.set(key, { addr, ready, ports });
  }
  // Repack: one subset per distinct port set.
  const groups = new Map<string, EndpointSubset & { ports: EndpointPort[] }>();
  for (const { addr, ready, ports } of entries.values()) {
    const sorted = [...ports.values()].sort(comparePorts);
    const gk = sorted.map(portKey).join(';');
    let g = groups.get(gk);
    if (!g) groups.set(gk, g = { ports: sorted });
    if (ready) (g.addresses ??= []).push(addr);
    else (g.notReadyAddresses ??= []).push(addr);
  }
  const subsets: EndpointSubset[] = [...groups.values()].map((g) => {
    const s: EndpointSubset = {};
    if (g.addresses) s.addresses = g.addresses.sort(compareAddresses);
    if (g.notReadyAddresses) s.notReadyAddresses = g.notReadyAddresses.sort(compareAddresses);
    if (g.ports.length) s.ports = g.ports;
    return s;
  });
  subsets.sort((a, b) => subsetSortKey(a).localeCompare(subsetSortKey(b)));
  return { subsets, unresolved };
}

const portKey = (p: EndpointPort): string => `${p.name ?? ''}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`;

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  return (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol);
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return compareIPs(a.ip, b.ip) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every((n) => Number.isInteger(n))) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a.localeCompare(b);
}

const subsetSortKey = (s: EndpointSubset): string =>
  `${(s.ports ?? []).map(portKey).join(';')}#${(s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? ''}`;

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
