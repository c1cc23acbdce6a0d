// One atomic apply of a rendered rule set: `iptables-restore --noflush --wait` (filter and nat
// each commit atomically), including any missing jumps from the built-in chains.
//
// Contract:
// - The kernel is read (`iptables-save`, all tables) only on the first apply, after a
//   failure, and after invalidate(): that finds stale per-object chains (e.g. left by a
//   previous kube-proxy) and missing jumps. Otherwise the applier trusts what its previous
//   successful apply wrote.
// - Partial sync: once the kernel state is known, only per-object chains whose rules changed
//   are written (`full: true` writes everything). A failed restore leaves the kernel's
//   previous rules in place and forgets the known state, so the next apply starts over.
import { PER_OBJECT_PREFIXES } from '../rules/chain-names.js';
import { renderRules, type RenderOptions, type RenderedRules } from '../rules/render.js';
import type { ServicePortRule } from '../rules/service-model.js';
import { missingJumps, withJumps, type Jump } from './jump-rules.js';
import { runTool, type IptablesRunner } from './run.js';

export class RuleApplier {
  private known?: { chains: Set<string>; rules?: Map<string, string>; jumps: Jump[] };

  constructor(private readonly runner: IptablesRunner = {}) {}

  async apply(rules: ServicePortRule[], opts: Omit<RenderOptions, 'staleChains' | 'unchanged'>, mode: { full?: boolean } = {}): Promise<RenderedRules> {
    try {
      if (!this.known) {
        this.known = await this.readKernel();
        await this.enableLocalhostNodePorts();
      }
      const rendered = renderRules(rules, {
        ...opts, staleChains: [...this.known.chains], ...(!mode.full && this.known.rules ? { unchanged: this.known.rules } : {}),
      });
      await runTool(this.runner, 'iptables-restore', ['--noflush', '--wait'], withJumps(rendered.text, this.known.jumps));
      this.known = { chains: new Set(rendered.objectChains), rules: rendered.chainRules, jumps: [] };
      return rendered;
    } catch (e) {
      this.known = undefined;
      throw e;
    }
  }

  /** The next apply re-reads the kernel and writes everything. */
  invalidate(): void {
    this.known = undefined;
  }

  /**
   * NodePorts on 127.0.0.1 (upstream's --iptables-localhost-nodeports, on by default): a
   * packet from 127.0.0.1 DNATed to a pod may only be routed out of `lo` with route_localnet;
   * KUBE-FIREWALL drops what that would otherwise expose (non-local sources to 127/8).
   */
  private async enableLocalhostNodePorts(): Promise<void> {
    await runTool(this.runner, 'sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet']);
  }

  private async readKernel(): Promise<{ chains: Set<string>; jumps: Jump[] }> {
    const save = await runTool(this.runner, 'iptables-save', []);
    const chains = new Set<string>();
    let table = '';
    for (const line of save.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1);
      if (table !== 'nat' || !line.startsWith(':')) continue;
      const name = line.slice(1).split(' ')[0]!;
      if (PER_OBJECT_PREFIXES.some((p) => name.startsWith(p))) chains.add(name);
    }
    return { chains, jumps: missingJumps(save) };
  }
}
