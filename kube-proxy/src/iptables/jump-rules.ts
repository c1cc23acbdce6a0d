// The jumps from the kernel's built-in chains into kube-proxy's chains. They are found in an
// `iptables-save` of the kernel and, when missing, inserted at the top of their built-in chain
// by `-I` lines added to the same iptables-restore that writes kube-proxy's own chains, so
// rules other programs keep in the built-in chains are never rewritten or reordered.
import { KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_POSTROUTING, KUBE_SERVICES } from '../rules/chain-names.js';
import { KUBE_FIREWALL } from '../rules/render.js';

export interface Jump { table: 'nat' | 'filter'; chain: string; comment: string; match: string; target: string }

const NEW = '-m conntrack --ctstate NEW';

export const JUMPS: readonly Jump[] = [
  { table: 'nat', chain: 'PREROUTING', comment: 'kubernetes service portals', match: '', target: KUBE_SERVICES },
  { table: 'nat', chain: 'OUTPUT', comment: 'kubernetes service portals', match: '', target: KUBE_SERVICES },
  { table: 'nat', chain: 'POSTROUTING', comment: 'kubernetes postrouting rules', match: '', target: KUBE_POSTROUTING },
  { table: 'filter', chain: 'INPUT', comment: 'kubernetes externally-visible service portals', match: NEW, target: KUBE_EXTERNAL_SERVICES },
  { table: 'filter', chain: 'INPUT', comment: 'kubernetes firewall for dropping marked packets', match: '', target: KUBE_FIREWALL },
  { table: 'filter', chain: 'FORWARD', comment: 'kubernetes forwarding rules', match: '', target: KUBE_FORWARD },
  { table: 'filter', chain: 'FORWARD', comment: 'kubernetes service portals', match: NEW, target: KUBE_SERVICES },
  { table: 'filter', chain: 'FORWARD', comment: 'kubernetes externally-visible service portals', match: NEW, target: KUBE_EXTERNAL_SERVICES },
  { table: 'filter', chain: 'OUTPUT', comment: 'kubernetes service portals', match: NEW, target: KUBE_SERVICES },
];

/** The jumps absent from a full `iptables-save` text (matched by chain, comment and target). */
export function missingJumps(save: string): Jump[] {
  const tables = new Map<string, string[]>();
  let cur = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) { cur = line.slice(1); tables.set(cur, []); } else if (line.startsWith('-A ')) tables.get(cur)?.push(line);
  }
  return JUMPS.filter((j) => !(tables.get(j.table) ?? []).some((l) =>
    l.startsWith(`-A ${j.chain} `) && l.includes(`--comment "${j.comment}"`) && l.endsWith(`-j ${j.target}`)));
}

/** Adds `-I` lines for `jumps` before each table's COMMIT in a restore text. */
export function withJumps(text: string, jumps: readonly Jump[]): string {
  if (jumps.length === 0) return text;
  const out: string[] = [];
  let table = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    if (line === 'COMMIT') {
      for (const j of jumps) {
        if (j.table === table) out.push(`-I ${j.chain} 1 -m comment --comment "${j.comment}"${j.match ? ` ${j.match}` : ''} -j ${j.target}`);
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
