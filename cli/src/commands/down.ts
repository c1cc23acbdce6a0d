// `k8ts down`: stop every component of the cluster in reverse start order.
//
// Contract:
// - SIGTERM, up to the grace period (10 s) for each to exit, then SIGKILL; pid files removed.
// - Processes recorded in <state>/run/*.pid that the table no longer lists (a component
//   removed or renamed) are stopped first, provided their argv mentions this state dir.
// - Data (etcd, PKI, tokens, kubeconfigs, logs) is kept. Idempotent: nothing running is fine.
import { readdir } from 'node:fs/promises';
import { loadCommandContext, type CommandOptions } from '../command-context.js';
import { runningPid, stopProcess, type StopOutcome } from '../process-control.js';

export async function down(opts: CommandOptions): Promise<void> {
  const ctx = await loadCommandContext(opts);
  const { layout, out } = ctx;
  const grace = opts.stopGraceMs ?? 10_000;
  const specs = ctx.components();
  const known = new Set(specs.map((s) => s.name));

  let pidFiles: string[] = [];
  try {
    pidFiles = (await readdir(layout.runDir)).filter((f) => f.endsWith('.pid'));
  } catch {
    out(`nothing to stop: no k8ts state at ${layout.root}`);
    return;
  }
  const strays = pidFiles.map((f) => f.slice(0, -'.pid'.length)).filter((n) => !known.has(n));

  const report = (name: string, r: { outcome: StopOutcome; pid?: number }) => {
    if (r.outcome === 'stopped') out(`✓ stopped ${name} (pid ${r.pid})`);
    else if (r.outcome === 'killed') out(`✓ killed ${name} (pid ${r.pid}) after ${Math.round(grace / 1000)} s without exiting`);
    else out(`• ${name} was not running`);
  };
  for (const name of strays) report(name, await stopProcess(layout.pidFile(name), [layout.root], grace));
  for (const spec of [...specs].reverse()) {
    if (spec.beforeStop && await runningPid(layout.pidFile(spec.name), spec.markers)) {
      await spec.beforeStop().catch((e: unknown) => out(`• ${spec.name}: cleanup failed: ${(e as Error).message}`));
    }
    report(spec.name, await stopProcess(layout.pidFile(spec.name), spec.markers, grace));
  }
  out(`data kept in ${layout.root} (remove it for a fresh cluster)`);
}
