// The whole kube-proxy rule set as `iptables-restore --noflush` input. Pure: the same model
// and options always give the same text (snapshot-tested).
//
// Contract:
// - Only chains named KUBE-* are written. Every chain this program owns is declared
//   (`:CHAIN - [0:0]`), which with --noflush empties it before its rules are re-added, so one
//   restore replaces the previous rule set atomically, per table.
// - `staleChains` (per-service/endpoint chains found in the kernel and no longer wanted) are
//   declared and deleted (`-X`) in the same transaction.
// - The jumps from the built-in chains (PREROUTING, OUTPUT, ...) are NOT in this text: they
//   are ensured once by iptables/jump-rules.ts, so that other programs' rules in those
//   chains are never touched.
// - Traffic shape, as upstream's iptables mode:
//   nat  KUBE-SERVICES: clusterIP:port → KUBE-SVC-x; last rule: local destinations → KUBE-NODEPORTS
//        KUBE-SVC-x: mark for masquerade unless the source is a pod (clusterCIDR); then one
//          rule per endpoint with `-m statistic --mode random --probability 1/(n-i)`
//          (ClientIP affinity: `-m recent --rcheck` jumps first)
//        KUBE-SEP-y: hairpin masquerade mark for its own pod, DNAT to ip:port
//        KUBE-NODEPORTS: --dport nodePort → mark for masquerade → KUBE-SVC-x
//        KUBE-POSTROUTING: masquerade marked packets
//   filter KUBE-SERVICES: REJECT for a clusterIP:port with no ready endpoint
//          KUBE-EXTERNAL-SERVICES: REJECT for a nodePort with no ready endpoint
//          KUBE-FORWARD: accept marked/established forwarded traffic, drop INVALID
//          KUBE-FIREWALL: drop non-loopback packets to 127.0.0.0/8 (route_localnet guard)
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_SERVICES, MASQ_MARK,
  endpointChain, serviceChain,
} from './chain-names.js';
import type { ServicePortRule } from './service-model.js';

export const KUBE_FIREWALL = 'KUBE-FIREWALL';

export interface RenderOptions {
  /** The cluster's pod CIDR: traffic from it to a ClusterIP needs no masquerade. */
  clusterCIDR: string;
  /** Per-object chains present in the kernel but no longer generated: removed atomically. */
  staleChains?: string[];
  /**
   * Partial sync (upstream's MinimizeIPTablesRestore): the per-object chains already in the
   * kernel with exactly these rules (chain → its rules joined by '\n'). Chains whose rules
   * are unchanged are left out of the text (with --noflush, an undeclared chain is left
   * untouched); the top-level chains are always rewritten. Absent → everything is written.
   */
  unchanged?: ReadonlyMap<string, string>;
}

export interface RenderedRules {
  text: string;
  /** Every KUBE-SVC-/KUBE-SEP- chain in the nat table after this restore. */
  objectChains: string[];
  /** Each per-object chain's rules joined by '\n' (what `unchanged` compares against next time). */
  chainRules: Map<string, string>;
  /** Per-object chains actually written in `text`. */
  written: number;
  counts: { services: number; endpoints: number; rejects: number };
}

const q = (s: string) => `"${s.replace(/"/g, '')}"`;

export function renderRules(rules: ServicePortRule[], opts: RenderOptions): RenderedRules {
  const filterChains = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_FIREWALL];
  const filter: string[] = [];
  const natTop = [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ];
  const natChains: string[] = [];
  const nat: string[] = [];
  /** rules of each per-object chain, in order */
  const objectRules = new Map<string, string[]>();
  const obj = (chain: string, rule: string): void => {
    let l = objectRules.get(chain);
    if (!l) objectRules.set(chain, l = []);
    l.push(`-A ${chain} ${rule}`);
  };
  const nodePortRules: string[] = [];
  let endpoints = 0;
  let rejects = 0;

  nat.push(`-A ${KUBE_POSTROUTING} -m mark ! --mark ${MASQ_MARK} -j RETURN`);
  nat.push(`-A ${KUBE_POSTROUTING} -j MARK --xor-mark 0x4000`);
  nat.push(`-A ${KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE`);
  nat.push(`-A ${KUBE_MARK_MASQ} -j MARK --or-mark 0x4000`);

  filter.push(`-A ${KUBE_FORWARD} -m conntrack --ctstate INVALID -j DROP`);
  filter.push(`-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK} -j ACCEPT`);
  filter.push(`-A ${KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  filter.push(`-A ${KUBE_FIREWALL} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`);

  for (const r of rules) {
    const proto = r.protocol.toLowerCase();
    const match = `-p ${proto} -m ${proto} --dport ${r.port}`;
    if (r.endpoints.length === 0) {
      rejects++;
      filter.push(`-A ${KUBE_SERVICES} -m comment --comment ${q(`${r.name} has no endpoints`)} -d ${r.clusterIP}/32 ${match} -j REJECT --reject-with icmp-port-unreachable`);
      if (r.nodePort) {
        filter.push(`-A ${KUBE_EXTERNAL_SERVICES} -m comment --comment ${q(`${r.name} has no endpoints`)} -m addrtype --dst-type LOCAL -p ${proto} -m ${proto} --dport ${r.nodePort} -j REJECT --reject-with icmp-port-unreachable`);
      }
      continue;
    }
    const svcChain = serviceChain(r.name, r.protocol);
    natChains.push(svcChain);
    nat.push(`-A ${KUBE_SERVICES} -m comment --comment ${q(`${r.name} cluster IP`)} -d ${r.clusterIP}/32 ${match} -j ${svcChain}`);
    obj(svcChain, `-m comment --comment ${q(`${r.name} cluster IP`)} ! -s ${opts.clusterCIDR} -d ${r.clusterIP}/32 ${match} -j ${KUBE_MARK_MASQ}`);
    if (r.nodePort) {
      nodePortRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${q(r.name)} -p ${proto} -m ${proto} --dport ${r.nodePort} -j ${KUBE_MARK_MASQ}`);
      nodePortRules.push(`-A ${KUBE_NODEPORTS} -m comment --comment ${q(r.name)} -p ${proto} -m ${proto} --dport ${r.nodePort} -j ${svcChain}`);
    }
    const sepChains = r.endpoints.map((e) => endpointChain(r.name, r.protocol, `${e.ip}:${e.port}`));
    if (r.affinitySeconds !== undefined) {
      r.endpoints.forEach((e, i) => {
        obj(svcChain, `-m comment --comment ${q(`${r.name} -> ${e.ip}:${e.port}`)} -m recent --name ${sepChains[i]} --mask 255.255.255.255 --rsource --rcheck --seconds ${r.affinitySeconds} --reap -j ${sepChains[i]}`);
      });
    }
    const n = r.endpoints.length;
    r.endpoints.forEach((e, i) => {
      const comment = `-m comment --comment ${q(`${r.name} -> ${e.ip}:${e.port}`)}`;
      if (i < n - 1) {
        obj(svcChain, `${comment} -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)} -j ${sepChains[i]}`);
      } else {
        obj(svcChain, `${comment} -j ${sepChains[i]}`);
      }
    });
    r.endpoints.forEach((e, i) => {
      const sep = sepChains[i]!;
      natChains.push(sep);
      endpoints++;
      obj(sep, `-m comment --comment ${q(r.name)} -s ${e.ip}/32 -j ${KUBE_MARK_MASQ}`);
      const affinity = r.affinitySeconds !== undefined ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
      obj(sep, `-m comment --comment ${q(r.name)}${affinity} -p ${proto} -m ${proto} -j DNAT --to-destination ${e.ip}:${e.port}`);
    });
  }
  nat.push(...nodePortRules);
  nat.push(`-A ${KUBE_SERVICES} -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j ${KUBE_NODEPORTS}`);

  const wanted = new Set(natChains);
  const stale = [...new Set(opts.staleChains ?? [])].filter((c) => !wanted.has(c)).sort();
  const chainRules = new Map<string, string>();
  for (const c of natChains) chainRules.set(c, (objectRules.get(c) ?? []).join('\n'));
  const toWrite = opts.unchanged ? natChains.filter((c) => opts.unchanged!.get(c) !== chainRules.get(c)) : natChains;
  const lines: string[] = [];
  lines.push('*filter');
  for (const c of filterChains) lines.push(`:${c} - [0:0]`);
  lines.push(...filter);
  lines.push('COMMIT');
  lines.push('*nat');
  for (const c of [...natTop, ...toWrite, ...stale]) lines.push(`:${c} - [0:0]`);
  // the top-level chains' rules first, then each written per-object chain's rules
  lines.push(...nat);
  for (const c of toWrite) { const r = chainRules.get(c); if (r) lines.push(r); }
  for (const c of stale) lines.push(`-X ${c}`);
  lines.push('COMMIT');
  return {
    text: `${lines.join('\n')}\n`,
    objectChains: natChains,
    chainRules,
    written: toWrite.length,
    counts: { services: rules.length, endpoints, rejects },
  };
}
