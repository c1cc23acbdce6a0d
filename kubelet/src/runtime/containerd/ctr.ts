// Runs containerd's `ctr` CLI against one socket and namespace for what would otherwise need
// containerd's Go client logic and is not on the pod-start path: exec (stdio, tty) and image
// import (layer unpacking). Containers are created and started over gRPC (runtime.ts).
//
// Contract: resolves { code, stdout, stderr }; rejects with RuntimeUnavailableError when ctr
// cannot reach containerd (dial/connection errors) or is not installed.
import { spawn } from 'node:child_process';
import { runCommand, type CommandResult } from '../../sys/run-command.js';
import { RuntimeUnavailableError } from '../types.js';

const UNREACHABLE = /failed to dial|connection refused|connect: no such file or directory|transport is closing|context deadline exceeded/;

export class Ctr {
  constructor(readonly socket: string, readonly namespace: string, readonly bin = 'ctr') {}

  args(args: readonly string[]): string[] {
    return ['-a', this.socket, '-n', this.namespace, ...args];
  }

  async run(args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
    let r: CommandResult;
    try {
      r = await runCommand(this.bin, this.args(args), { timeoutMs });
    } catch (e) {
      throw new RuntimeUnavailableError(`cannot run ${this.bin}: ${(e as Error).message}`);
    }
    if (r.code !== 0 && UNREACHABLE.test(r.stderr)) throw new RuntimeUnavailableError(`containerd unreachable at ${this.socket}: ${r.stderr.trim()}`);
    return r;
  }

  /** Spawns ctr with piped stdio (exec). */
  spawn(args: readonly string[], wrapInPty: boolean) {
    const argv = this.args(args);
    if (!wrapInPty) return spawn(this.bin, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    // `ctr -t` needs a terminal on its stdin: script(1) gives it a pty and relays our pipes.
    const quoted = [this.bin, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return spawn('script', ['-qefc', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  }
}

/** ctr's error text without its `ctr: ` prefix and the trailing `: unknown`. */
export function ctrMessage(r: CommandResult): string {
  return (r.stderr || r.stdout).trim().split('\n').filter((l) => !l.startsWith('time=')).join(' ').replace(/^ctr: /, '').replace(/: unknown$/, '');
}
