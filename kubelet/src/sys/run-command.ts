// Runs a host command (ip, iptables, ctr, unshare ...) and collects its output.
//
// Contract: never rejects for a non-zero exit: resolves { code, stdout, stderr } and callers
// decide; rejects only when the binary cannot be spawned (ENOENT ...). `input` is written to
// stdin; a timeout SIGKILLs the process and resolves with code 124 (like timeout(1)).
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function runCommand(cmd: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { if (timer) clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        code: timedOut ? 124 : code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => { /* the command may exit before reading its input */ });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runCommand, but a non-zero exit rejects with an Error naming the command and its stderr. */
export async function mustRun(cmd: string, args: readonly string[], opts: CommandOptions = {}): Promise<string> {
  const r = await runCommand(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
