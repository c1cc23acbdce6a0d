// Brings one component to "running and ready": reuses a running instance (pid file + markers)
// or starts a detached one, then waits for its readiness URL.
//
// Contract:
// - Never starts a second instance of a component that is running from this state dir.
// - Refuses to start when one of its ports is taken by another process, or a required file
//   is missing (CliError naming the port/file).
// - When a freshly started process dies or times out before ready, it is stopped (pid file
//   removed) and a CliError carries the tail of its log.
import { access } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import type { ComponentSpec } from './components.js';
import { tailFile } from './log-tail.js';
import { isPortFree } from './ports.js';
import { isOurProcess, runningPid, spawnDetached, stopProcess } from './process-control.js';
import { probe, waitUntilReady, NotReadyError } from './readiness.js';
import type { StateLayout } from './state-layout.js';
import { displayPath } from './usage-hint.js';

export interface StartResult {
  pid: number;
  started: boolean;
  ms: number;
}

export async function startComponent(spec: ComponentSpec, layout: StateLayout): Promise<StartResult> {
  const t0 = Date.now();
  const pidFile = layout.pidFile(spec.name);
  const logFile = layout.logFile(spec.name);
  const existing = await runningPid(pidFile, spec.markers);
  if (existing !== undefined) {
    if (!(await probe(spec.readiness)).ok) await waitReadyOrFail(spec, existing, pidFile, logFile, false);
    return { pid: existing, started: false, ms: Date.now() - t0 };
  }
  for (const r of spec.requires) {
    try {
      await access(r.file);
    } catch {
      throw new CliError(`${spec.name}: ${r.file} is missing; ${r.hint}`);
    }
  }
  for (const port of spec.ports) {
    if (!(await isPortFree(port))) {
      throw new CliError(`${spec.name}: port ${port} on 127.0.0.1 is already in use by a process that k8ts (state ${layout.root}) did not start; stop it or pick other ports (k8ts up --help)`);
    }
  }
  const pid = await spawnDetached({
    command: spec.command,
    args: spec.args,
    logFile,
    pidFile,
    env: { ...process.env, ...spec.env },
  });
  await waitReadyOrFail(spec, pid, pidFile, logFile, true);
  return { pid, started: true, ms: Date.now() - t0 };
}

async function waitReadyOrFail(spec: ComponentSpec, pid: number, pidFile: string, logFile: string, stopOnFailure: boolean): Promise<void> {
  try {
    await waitUntilReady(spec.readiness, {
      timeoutMs: spec.readyTimeoutMs,
      alive: () => isOurProcess(pid, spec.markers),
    });
  } catch (e) {
    if (!(e instanceof NotReadyError)) throw e;
    if (stopOnFailure) await stopProcess(pidFile, spec.markers, 5_000);
    const tail = await tailFile(logFile, 40);
    throw new CliError(`${spec.name} did not become ready: ${e.message}\n--- last lines of ${displayPath(logFile)} ---\n${tail}\n---`);
  }
}
