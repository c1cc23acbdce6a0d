// `k8ts status`: each component's pid and readiness. Contract: read-only; throws a CliError
// (exit code 1) unless every component is running and ready.
import { access } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import { loadCommandContext, type CommandOptions } from '../command-context.js';
import { runningPid } from '../process-control.js';
import { probe } from '../readiness.js';

export interface ComponentStatus {
  name: string;
  pid?: number;
  ready: boolean;
  detail: string;
}

export async function collectStatus(opts: CommandOptions): Promise<ComponentStatus[]> {
  const ctx = await loadCommandContext(opts);
  const ca = await ctx.readCa();
  const rows: ComponentStatus[] = [];
  for (const spec of ctx.components(ca)) {
    const pid = await runningPid(ctx.layout.pidFile(spec.name), spec.markers);
    if (pid === undefined) {
      rows.push({ name: spec.name, ready: false, detail: 'not running' });
      continue;
    }
    const p = await probe(spec.readiness);
    rows.push({ name: spec.name, pid, ready: p.ok, detail: `${spec.readiness.url} ${p.ok ? 'ready' : `not ready (${p.detail})`}` });
  }
  return rows;
}

export async function status(opts: CommandOptions): Promise<void> {
  const ctx = await loadCommandContext(opts);
  try {
    await access(ctx.layout.root);
  } catch {
    throw new CliError(`no k8ts cluster at ${ctx.layout.root} (start one with: npm run up)`);
  }
  const rows = await collectStatus(opts);
  const w = Math.max(9, ...rows.map((r) => r.name.length));
  ctx.out(`${'COMPONENT'.padEnd(w)}  ${'PID'.padEnd(8)}  STATUS`);
  for (const r of rows) ctx.out(`${r.name.padEnd(w)}  ${String(r.pid ?? '-').padEnd(8)}  ${r.detail}`);
  const notReady = rows.filter((r) => !r.ready).length;
  if (notReady) throw new CliError(`${notReady} of ${rows.length} components not ready (state ${ctx.layout.root}; logs in ${ctx.layout.logsDir})`);
}
