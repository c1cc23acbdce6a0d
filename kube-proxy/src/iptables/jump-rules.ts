// The jumps from the kernel's built-in chains into kube-proxy's chains. Ensured one by one
// with `-C` (check) then `-I` (insert at the top) so that rules other programs keep in the
// same built-in chains are never rewritten. Idempotent. Requires the target chains to exist
// (restore them first).
import { KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_POSTROUTING, KUBE_SERVICES } from '../rules/chain-names.js';
import { KUBE_FIREWALL } from '../rules/render.js';
import { runTool, type IptablesRunner } from './run.js';

interface Jump { table: 'nat' | 'filter'; chain: string; spec: string[] }

const comment = (c: string) => ['-m', 'comment', '--comment', c];
const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

export const JUMPS: readonly Jump[] = [
  { table: 'nat', chain: 'PREROUTING', spec: [...comment('kubernetes service portals'), '-j', KUBE_SERVICES] },
  { table: 'nat', chain: 'OUTPUT', spec: [...comment('kubernetes service portals'), '-j', KUBE_SERVICES] },
  { table: 'nat', chain: 'POSTROUTING', spec: [...comment('kubernetes postrouting rules'), '-j', KUBE_POSTROUTING] },
  { table: 'filter', chain: 'INPUT', spec: [...comment('kubernetes externally-visible service portals'), ...NEW, '-j', KUBE_EXTERNAL_SERVICES] },
  { table: 'filter', chain: 'INPUT', spec: [...comment('kubernetes firewall for dropping marked packets'), '-j', KUBE_FIREWALL] },
  { table: 'filter', chain: 'FORWARD', spec: [...comment('kubernetes forwarding rules'), '-j', KUBE_FORWARD] },
  { table: 'filter', chain: 'FORWARD', spec: [...comment('kubernetes service portals'), ...NEW, '-j', KUBE_SERVICES] },
  { table: 'filter', chain: 'FORWARD', spec: [...comment('kubernetes externally-visible service portals'), ...NEW, '-j', KUBE_EXTERNAL_SERVICES] },
  { table: 'filter', chain: 'OUTPUT', spec: [...comment('kubernetes service portals'), ...NEW, '-j', KUBE_SERVICES] },
];


export async function ensureJumpRules(runner: IptablesRunner): Promise<void> {
  for (const j of JUMPS) {
    try {
      await runTool(runner, 'iptables', ['-w', '-t', j.table, '-C', j.chain, ...j.spec]);
    } catch {
      await runTool(runner, 'iptables', ['-w', '-t', j.table, '-I', j.chain, ...j.spec]);
    }
  }
}
