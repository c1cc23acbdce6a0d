// Detached component processes tracked by pid files (Linux /proc based).
//
// Contract:
// - spawnDetached starts `command args` in its own session/process group with stdin closed
//   and stdout+stderr appended to `logFile`, writes `pidFile`, and unrefs the child: the
//   process outlives the launcher.
// - A pid file counts as a running process only if the pid is alive, is not a zombie, and its
//   /proc/<pid>/cmdline contains every marker string: a recycled pid that now belongs to some
//   other program is never mistaken for a component (and never signalled).
// - stopProcess sends SIGTERM, waits up to graceMs for exit, then SIGKILLs and waits briefly;
//   it removes the pid file in every case. Only the recorded pid is signalled (not its group).
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface ProcessInfo {
  pid: number;
  cmdline: string[];
}

export async function readPidFile(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** The process's state letter and argv, or undefined if there is no such process. */
export async function inspectProcess(pid: number): Promise<{ state: string; cmdline: string[] } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ..." — comm may contain spaces and parentheses: the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((s) => s !== '');
    return { state, cmdline };
  } catch {
    return undefined;
  }
}

export async function isOurProcess(pid: number, markers: readonly string[]): Promise<boolean> {
  const info = await inspectProcess(pid);
  if (!info || info.state === 'Z' || info.state === 'X') return false;
  const joined = info.cmdline.join('\0');
  return markers.every((m) => joined.includes(m));
}

/** The pid recorded in `pidFile` if that process is running and matches the markers. */
export async function runningPid(pidFile: string, markers: readonly string[]): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined) return undefined;
  return (await isOurProcess(pid, markers)) ? pid : undefined;
}

export interface SpawnDetachedOptions {
  command: string;
  args: readonly string[];
  logFile: string;
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function spawnDetached(opts: SpawnDetachedOptions): Promise<number> {
  await mkdir(dirname(opts.logFile), { recursive: true });
  await mkdir(dirname(opts.pidFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  try {
    writeSync(fd, `\n=== k8ts: starting ${[opts.command, ...opts.args].join(' ')} at ${new Date().toISOString()}\n`);
    const child = spawn(opts.command, [...opts.args], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env ?? process.env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`cannot start ${opts.command}: ${e.message}`)));
      child.once('spawn', () => resolve(child.pid!));
    });
    child.unref();
    await writeFile(opts.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(fd);
  }
}

export async function waitForExit(pid: number, timeoutMs: number, markers: readonly string[] = []): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await isOurProcess(pid, markers))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type StopOutcome = 'not-running' | 'stopped' | 'killed';

export async function stopProcess(pidFile: string, markers: readonly string[], graceMs = 10_000): Promise<{ outcome: StopOutcome; pid?: number }> {
  const pid = await runningPid(pidFile, markers);
  if (pid === undefined) {
    await rm(pidFile, { force: true });
    return { outcome: 'not-running' };
  }
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  };
  signal('SIGTERM');
  let outcome: StopOutcome = 'stopped';
  if (!(await waitForExit(pid, graceMs, markers))) {
    signal('SIGKILL');
    await waitForExit(pid, 5_000, markers);
    outcome = 'killed';
  }
  await rm(pidFile, { force: true });
  return { outcome, pid };
}
