// A long-lived `sh` that runs short scripts for the kubelet, one at a time.
//
// Why: every child_process.spawn forks the whole Node process from its main thread; measured in
// a CPU profile of bench:pods, the one spawn per pod start (network set-up) was ~15% of the
// kubelet's CPU. Here the kubelet spawns one shell once and writes each script to its stdin;
// the shell's own forks (of `ip`, `unshare`...) are cheap.
//
// Contract:
// - run(script, args) runs `script` in a subshell with `args` as $1..$n, stdin from /dev/null,
//   and resolves { code, stdout, stderr } with stdout and stderr combined (in both fields) —
//   never rejects for a non-zero exit (like runCommand).
// - Scripts run one at a time, in call order. A script still running after `timeoutMs` gets the
//   shell killed (with its process group) and resolves code 124; the next call starts a new
//   shell. A shell that dies fails the script in flight with code 125 (and is replaced).
// - close() kills the shell; later calls reject.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { CommandResult } from './run-command.js';

interface Job { script: string; args: readonly string[]; timeoutMs: number; resolve(r: CommandResult): void; reject(e: Error): void }

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class ShellWorker {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Job[] = [];
  private current: { job: Job; marker: string; timer: NodeJS.Timeout } | undefined;
  private out = '';
  private seq = 0;
  private closed = false;
  private readonly token = randomBytes(6).toString('hex');

  constructor(private readonly shell = 'sh') {}

  run(script: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<CommandResult> {
    if (this.closed) return Promise.reject(new Error('shell worker closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ script, args, timeoutMs, resolve, reject });
      this.next();
    });
  }

  close(): void {
    this.closed = true;
    this.kill();
    for (const j of this.queue.splice(0)) j.reject(new Error('shell worker closed'));
  }

  private spawnShell(): ChildProcessWithoutNullStreams {
    const child = spawn(this.shell, ['-s'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => { if (this.child === child) this.onOutput(d); });
    child.stderr.on('data', () => { /* the shell's own complaints; scripts' stderr goes to stdout */ });
    child.stdin.on('error', () => { /* reported by exit */ });
    child.on('error', () => { /* reported by exit */ });
    child.on('exit', () => {
      if (this.child !== child) return;
      this.child = undefined;
      this.finish(125, 'shell worker exited');
    });
    // never what keeps the kubelet (or a test) alive
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    return child;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.child ??= this.spawnShell();
    const marker = `\x1e${this.token} ${++this.seq} `;
    this.out = '';
    const timer = setTimeout(() => { this.kill(); this.finish(124, 'timed out'); }, job.timeoutMs);
    this.current = { job, marker, timer };
    const set = job.args.length ? `set -- ${job.args.map(quote).join(' ')}; ` : '';
    this.child.stdin.write(`( ${set}eval ${quote(job.script)} ) </dev/null 2>&1; printf '\\n${marker}%d\\n' "$?"\n`);
  }

  private onOutput(d: string): void {
    if (!this.current) return;
    this.out += d;
    const { marker } = this.current;
    const at = this.out.indexOf(`\n${marker}`);
    if (at < 0) return;
    const rest = this.out.slice(at + 1 + marker.length);
    const nl = rest.indexOf('\n');
    if (nl < 0) return;
    const output = this.out.slice(0, at);
    this.out = '';
    this.complete(Number(rest.slice(0, nl)), output);
  }

  private finish(code: number, why: string): void {
    this.complete(code, `${this.out}${this.out ? '\n' : ''}${why}`);
  }

  private complete(code: number, output: string): void {
    const cur = this.current;
    if (!cur) return;
    clearTimeout(cur.timer);
    this.current = undefined;
    cur.job.resolve({ code, stdout: output, stderr: output });
    this.next();
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid) return;
    try { process.kill(-child.pid, 'SIGKILL'); } catch { try { child.kill('SIGKILL'); } catch { /* gone */ } }
  }
}
