// Runs the iptables tools, optionally inside a network namespace (tests use a throwaway one so
// the host's rules are never touched). Resolves with stdout; rejects with an Error carrying
// the tool's stderr.
import { spawn } from 'node:child_process';

export interface IptablesRunner {
  /** e.g. ['ip', 'netns', 'exec', 'k8ts-test-1'] to run inside a network namespace. */
  prefix?: string[];
}

export function runTool(runner: IptablesRunner, cmd: string, args: string[], stdin?: string): Promise<string> {
  const argv = [...(runner.prefix ?? []), cmd, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ' (install iptables: scripts/install-deps.sh node)' : ''}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(Object.assign(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().trim()}`), { exitCode: code }));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}
