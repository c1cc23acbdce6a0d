// Pod DNS and hosts files, as upstream's kubelet generates them.
//   resolv.conf (dnsPolicy): ClusterFirst (and ClusterFirstWithHostNet) → `nameserver
//   <cluster-dns>`, `search <ns>.svc.<domain> svc.<domain> <domain>`, `options ndots:5`;
//   ClusterFirst on a hostNetwork pod and Default → the node's /etc/resolv.conf; None → only
//   spec.dnsConfig. spec.dnsConfig nameservers/searches are appended and options merged
//   (a later option with the same name wins). At most 3 nameservers and 32 search domains.
//   /etc/hosts: the Kubernetes-managed file with localhost entries, the pod's IP and
//   hostname (FQDN first when spec.subdomain is set) and spec.hostAliases.
// Pure functions except readHostResolvConf().
import { readFileSync } from 'node:fs';
import type { KubeObject } from '@k8ts/shared';

export interface DnsConfig { servers: string[]; searches: string[]; options: string[] }

export interface DnsSettings { clusterDNS: string[]; clusterDomain: string }

type Rec = Record<string, any>;

/** The pod's hostname: spec.hostname, else the pod name (cut to 63 characters). */
export function podHostname(pod: KubeObject): string {
  const h: string = pod.spec?.hostname || pod.metadata.name || '';
  return h.slice(0, 63).replace(/[-.]+$/, '');
}

/** The resolv.conf content model for the pod; undefined means "use the node's file". */
export function podDnsConfig(pod: KubeObject, s: DnsSettings): DnsConfig | undefined {
  const policy: string = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const hostNetwork = pod.spec?.hostNetwork === true;
  let base: DnsConfig | undefined;
  if (policy === 'None') base = { servers: [], searches: [], options: [] };
  else if ((policy === 'ClusterFirst' && !hostNetwork) || policy === 'ClusterFirstWithHostNet') {
    if (s.clusterDNS.length === 0) base = undefined; // upstream falls back to Default
    else {
      const ns = pod.metadata.namespace ?? 'default';
      const d = s.clusterDomain;
      base = { servers: [...s.clusterDNS], searches: [`${ns}.svc.${d}`, `svc.${d}`, d], options: ['ndots:5'] };
    }
  }
  const extra: Rec | undefined = pod.spec?.dnsConfig;
  if (!extra) return base;
  if (!base) base = readHostResolvConf();
  const options = new Map<string, string>();
  for (const o of base.options) options.set(o.split(':')[0]!, o);
  for (const o of (extra.options ?? []) as Rec[]) options.set(o.name, o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name);
  return {
    servers: [...base.servers, ...((extra.nameservers ?? []) as string[])].slice(0, 3),
    searches: [...new Set([...base.searches, ...((extra.searches ?? []) as string[])])].slice(0, 32),
    options: [...options.values()],
  };
}

export function renderResolvConf(c: DnsConfig): string {
  const lines: string[] = [];
  if (c.searches.length) lines.push(`search ${c.searches.join(' ')}`);
  for (const s of c.servers) lines.push(`nameserver ${s}`);
  if (c.options.length) lines.push(`options ${c.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

export function readHostResolvConf(path = '/etc/resolv.conf'): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  let text = '';
  try { text = readFileSync(path, 'utf8'); } catch { return out; }
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'nameserver' && f[1]) out.servers.push(f[1]);
    else if (f[0] === 'search' || f[0] === 'domain') out.searches.push(...f.slice(1));
    else if (f[0] === 'options') out.options.push(...f.slice(1));
  }
  return out;
}

export function renderEtcHosts(pod: KubeObject, podIP: string | undefined, clusterDomain: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const hostname = podHostname(pod);
  if (podIP) {
    const sub: string | undefined = pod.spec?.subdomain;
    if (sub) lines.push(`${podIP}\t${hostname}.${sub}.${pod.metadata.namespace}.svc.${clusterDomain}\t${hostname}`);
    else lines.push(`${podIP}\t${hostname}`);
  }
  const aliases = (pod.spec?.hostAliases ?? []) as Rec[];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${((a.hostnames ?? []) as string[]).join('\t')}`);
  }
  return lines.join('\n') + '\n';
}
