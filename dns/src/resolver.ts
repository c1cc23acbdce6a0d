// Cluster DNS answers (the Kubernetes DNS-based service discovery spec, A/SRV subset) from
// the current Services and Endpoints. Pure given its inputs: the server passes lookups over
// its informer caches.
//
// Contract:
// - `<svc>.<ns>.svc.<zone>` A: the ClusterIP; for a headless Service (`clusterIP: None`) the
//   ready endpoint addresses (all of them, sorted). `<hostname>.<svc>.<ns>.svc.<zone>`: the
//   headless endpoint with that hostname.
// - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV: the named port (target the service name,
//   or each endpoint for headless services).
// - `<a-b-c-d>.<ns>.pod.<zone>` A: a.b.c.d (CoreDNS's "pods insecure" mode).
// - A name in the zone that exists but has no record of the asked type (e.g. AAAA, or the
//   `svc.<zone>` parents): NOERROR with no answers and the zone's SOA (NODATA). A name in the
//   zone that does not exist: NXDOMAIN with the SOA. A name outside the zone: REFUSED (this
//   server is authoritative for the cluster zone only and never recurses: there is no
//   upstream resolver to reach).
// - ExternalName services answer NXDOMAIN for A (CNAME chasing to outside names would need
//   recursion); not handled: PTR records, IPv6, wildcard queries.
import type { KubeObject } from '@k8ts/shared';
import { RCODE, TYPE, type Answer, type ResourceRecord } from './wire.js';

export interface ResolverSource {
  service(namespace: string, name: string): KubeObject | undefined;
  endpoints(namespace: string, name: string): KubeObject | undefined;
  hasNamespace(namespace: string): boolean;
}

export interface ResolverOptions {
  zone: string;
  ttl: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function resolve(name: string, type: number, src: ResolverSource, opts: ResolverOptions): Answer {
  const zone = opts.zone.replace(/\.$/, '').toLowerCase();
  const n = name.replace(/\.$/, '').toLowerCase();
  const soa: ResourceRecord = {
    name: zone, ttl: opts.ttl,
    data: { type: TYPE.SOA, mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: Math.floor(Date.now() / 1000) >>> 0, refresh: 7200, retry: 1800, expire: 86400, minimum: opts.ttl },
  };
  const nx = (): Answer => ({ rcode: RCODE.NXDOMAIN, answers: [], authority: [soa], aa: true });
  const nodata = (): Answer => ({ rcode: RCODE.NOERROR, answers: [], authority: [soa], aa: true });
  const ok = (answers: ResourceRecord[]): Answer => (answers.length ? { rcode: RCODE.NOERROR, answers, authority: [], aa: true } : nodata());
  if (n !== zone && !n.endsWith(`.${zone}`)) return { rcode: RCODE.REFUSED, answers: [], authority: [], aa: false };
  if (n === zone) return type === TYPE.SOA ? ok([soa]) : nodata();
  const labels = n.slice(0, -(zone.length + 1)).split('.');
  const kind = labels[labels.length - 1];
  if (kind === 'svc') return resolveService(n, labels.slice(0, -1), type, src, opts, ok, nx, nodata);
  if (kind === 'pod') {
    const rest = labels.slice(0, -1);
    if (rest.length === 0) return nodata();
    if (rest.length === 1) return src.hasNamespace(rest[0]!) ? nodata() : nx();
    if (rest.length !== 2) return nx();
    const ip = rest[0]!.replace(/-/g, '.');
    if (!IPV4.test(ip)) return nx();
    return type === TYPE.A || type === TYPE.ANY ? ok([{ name: n, ttl: opts.ttl, data: { type: TYPE.A, address: ip } }]) : nodata();
  }
  return nx();
}

function resolveService(
  n: string, labels: string[], type: number, src: ResolverSource, opts: ResolverOptions,
  ok: (a: ResourceRecord[]) => Answer, nx: () => Answer, nodata: () => Answer,
): Answer {
  const zone = opts.zone.replace(/\.$/, '').toLowerCase();
  if (labels.length === 0) return nodata(); // svc.<zone>
  if (labels.length === 1) return src.hasNamespace(labels[0]!) ? nodata() : nx(); // <ns>.svc.<zone>
  const ns = labels[labels.length - 1]!;
  const svcName = labels[labels.length - 2]!;
  const svc = src.service(ns, svcName);
  if (!svc || svc.spec?.type === 'ExternalName') return nx();
  const headless = svc.spec?.clusterIP === 'None';
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  const ready = readyAddresses(src.endpoints(ns, svcName));
  const wantA = type === TYPE.A || type === TYPE.ANY;

  if (labels.length === 2) {
    if (!wantA) return nodata();
    if (!headless) return ok(svc.spec?.clusterIP ? [{ name: n, ttl: opts.ttl, data: { type: TYPE.A, address: svc.spec.clusterIP } }] : []);
    const ips = [...new Set(ready.map((a) => a.ip))].sort();
    return ok(ips.map((ip) => ({ name: n, ttl: opts.ttl, data: { type: TYPE.A, address: ip } })));
  }
  if (labels.length === 3 && !labels[0]!.startsWith('_')) {
    // <hostname>.<svc>.<ns>.svc.<zone> (headless endpoints with a hostname)
    const hit = headless ? ready.find((a) => a.hostname === labels[0]) : undefined;
    if (!hit) return nx();
    return wantA ? ok([{ name: n, ttl: opts.ttl, data: { type: TYPE.A, address: hit.ip } }]) : nodata();
  }
  if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const portName = labels[0]!.slice(1);
    const proto = labels[1]!.slice(1).toUpperCase();
    const port = ((svc.spec?.ports ?? []) as any[]).find((p) => p.name === portName && String(p.protocol ?? 'TCP').toUpperCase() === proto);
    if (!port) return nx();
    if (type !== TYPE.SRV && type !== TYPE.ANY) return nodata();
    if (!headless) return ok([{ name: n, ttl: opts.ttl, data: { type: TYPE.SRV, priority: 0, weight: 100, port: port.port, target: svcFqdn } }]);
    return ok(ready.filter((a) => a.ports.has(`${portName}/${proto}`)).map((a) => ({
      name: n, ttl: opts.ttl,
      data: { type: TYPE.SRV, priority: 0, weight: 100, port: a.ports.get(`${portName}/${proto}`)!, target: `${a.hostname ?? a.ip.replace(/\./g, '-')}.${svcFqdn}` },
    })));
  }
  return nx();
}

interface ReadyAddress { ip: string; hostname?: string; ports: Map<string, number> }

function readyAddresses(ep: KubeObject | undefined): ReadyAddress[] {
  const out: ReadyAddress[] = [];
  for (const subset of (ep?.subsets ?? []) as any[]) {
    const ports = new Map<string, number>();
    for (const p of (subset.ports ?? []) as any[]) ports.set(`${p.name ?? ''}/${String(p.protocol ?? 'TCP').toUpperCase()}`, p.port);
    for (const a of (subset.addresses ?? []) as any[]) {
      if (typeof a.ip === 'string' && IPV4.test(a.ip)) out.push({ ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ports });
    }
  }
  return out;
}
