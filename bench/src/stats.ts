// Small numeric helpers for the benchmarks: a wall clock with sub-millisecond resolution that is
// comparable across processes on one machine, percentiles, and CPU time of other processes.
import { readFileSync, readdirSync } from 'node:fs';

/** Wall-clock milliseconds (fractional), comparable between processes on the same machine. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summary of a sample (nearest-rank percentiles). Sorts a copy. */
export function summarize(values: ArrayLike<number>): Summary {
  const a = Float64Array.from(values as ArrayLike<number>).sort();
  const n = a.length;
  if (n === 0) return { count: 0, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const pct = (p: number) => a[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  return { count: n, min: a[0]!, p50: pct(50), p90: pct(90), p99: pct(99), max: a[n - 1]!, mean: sum / n };
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const CLK_TCK = 100; // Linux USER_HZ; `getconf CLK_TCK` is 100 on every mainstream kernel

/** /proc/<pid>/stat after the command: field 4 (ppid) is [1], utime/stime [11]/[12], cutime/cstime
 *  [13]/[14]. The command may contain spaces, so the fields start after the last ')'. Throws when
 *  the process is gone. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User+system CPU seconds a process has used so far (from /proc), or NaN when unknown. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const rest = statFields(pid);
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** This process's user+system CPU seconds. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The pid of the process whose command line contains every one of `needles` (first found). */
export function findPid(needles: string[]): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (needles.every((n) => cmd.includes(n))) return Number(d);
    } catch { /* gone */ }
  }
  return undefined;
}

/** CPU seconds (own + reaped children) of every process whose command line contains `needle`,
 *  by pid, with a short name (a Node script's workspace, else the executable's base name).
 *  Live descendants that do not match themselves (a kubelet's long-lived shell and what it runs)
 *  count as "<name> descendants"; kernel threads (children of kthreadd, e.g. the workers that
 *  create and clean up network namespaces) as "kernel threads". */
export function cpuSnapshot(needle: string): Map<number, { name: string; sec: number }> {
  const out = new Map<number, { name: string; sec: number }>();
  const procs = new Map<number, { ppid: number; own: number; reaped: number; name?: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const rest = statFields(d);
      const entry: { ppid: number; own: number; reaped: number; name?: string } = {
        ppid: Number(rest[1]), own: (Number(rest[11]) + Number(rest[12])) / CLK_TCK, reaped: (Number(rest[13]) + Number(rest[14])) / CLK_TCK,
      };
      if (entry.ppid !== 2 && Number(d) !== 2) {
        const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
        if (argv.some((a) => a.includes(needle))) {
          const script = argv.find((a) => /\/dist\/[\w-]+\.js$/.test(a));
          entry.name = script ? script.split('/').slice(-3, -2)[0]! : argv[0]!.split('/').pop()!;
        }
      }
      procs.set(Number(d), entry);
    } catch { /* gone */ }
  }
  for (const [pid, p] of procs) {
    if (p.ppid === 2) { out.set(pid, { name: 'kernel threads', sec: p.own }); continue; }
    if (p.name) {
      out.set(pid, { name: p.name, sec: p.own });
      out.set(-pid, { name: `${p.name} children`, sec: p.reaped });
      continue;
    }
    let anc = procs.get(p.ppid);
    for (let i = 0; anc && !anc.name && i < 32; i++) anc = procs.get(anc.ppid);
    if (anc?.name) out.set(pid, { name: `${anc.name} descendants`, sec: p.own + p.reaped });
  }
  return out;
}

/** CPU seconds used between two snapshots, summed by name (processes born since count whole). */
export function cpuDelta(before: Map<number, { name: string; sec: number }>, after: Map<number, { name: string; sec: number }>): Record<string, number> {
  const by: Record<string, number> = {};
  for (const [pid, a] of after) by[a.name] = round((by[a.name] ?? 0) + a.sec - (before.get(pid)?.sec ?? 0), 2);
  return by;
}

/** Seconds the hypervisor gave this machine's CPUs to others ("steal", /proc/stat), all CPUs. */
export function stealSeconds(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    return Number(f[8] ?? 0) / CLK_TCK;
  } catch {
    return 0;
  }
}
