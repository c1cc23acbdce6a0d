// One atomic apply of a rendered rule set: `iptables-restore --noflush --wait` of the whole
// text (filter and nat tables each commit atomically), then the built-in-chain jumps.
//
// Contract:
// - Stale per-object chains are found by reading the nat table (`iptables-save -t nat`) on
//   the first apply and after any failure; otherwise from what the previous successful apply
//   wrote (upstream does the same to keep syncs cheap).
// - A failed restore leaves the kernel's previous rules in place (restore is transactional
//   per table) and the next apply re-reads the kernel state.
import { PER_OBJECT_PREFIXES } from '../rules/chain-names.js';
import { renderRules, type RenderOptions, type RenderedRules } from '../rules/render.js';
import type { ServicePortRule } from '../rules/service-model.js';
import { ensureJumpRules } from './jump-rules.js';
import { runTool, type IptablesRunner } from './run.js';

export class RuleApplier {
  private known?: Set<string>;
  private jumpsEnsured = false;

  constructor(private readonly runner: IptablesRunner = {}) {}

  /** Renders and applies; returns what was applied. Throws (and forgets its state) on failure. */
  async apply(rules: ServicePortRule[], opts: Omit<RenderOptions, 'staleChains'>): Promise<RenderedRules> {
    try {
      if (!this.known) this.known = await this.readObjectChains();
      const rendered = renderRules(rules, { ...opts, staleChains: [...this.known] });
      await runTool(this.runner, 'iptables-restore', ['--noflush', '--wait'], rendered.text);
      if (!this.jumpsEnsured) {
        await ensureJumpRules(this.runner);
        this.jumpsEnsured = true;
      }
      this.known = new Set(rendered.objectChains);
      return rendered;
    } catch (e) {
      this.known = undefined;
      this.jumpsEnsured = false;
      throw e;
    }
  }

  /** Forces the next apply to re-read the kernel (a periodic full resync). */
  invalidate(): void {
    this.known = undefined;
    this.jumpsEnsured = false;
  }

  private async readObjectChains(): Promise<Set<string>> {
    const out = await runTool(this.runner, 'iptables-save', ['-t', 'nat']);
    const chains = new Set<string>();
    for (const line of out.split('\n')) {
      if (!line.startsWith(':')) continue;
      const name = line.slice(1).split(' ')[0]!;
      if (PER_OBJECT_PREFIXES.some((p) => name.startsWith(p))) chains.add(name);
    }
    return chains;
  }
}
