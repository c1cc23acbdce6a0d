// TEST DOUBLE — not a container runtime. A ContainerRuntime whose "containers" are records
// the test declares (addContainer), whose exec spawns a real local process (no isolation:
// `sh -c ...` runs on this machine, in a scratch directory) and whose logs are read from a
// CRI-format log file the test writes. It exists to test the kubelet server and the
// apiserver's proxy end to end with the real kubectl; it never stands in for containerd where
// a test claims to test the real thing. Sandbox, image and lifecycle methods throw.
//
// exec: resolves with the exit code (128 + n for a signal) after the process's stdout and
// stderr closed; tty sessions get no terminal (stderr merged into stdout); an abort signal
// kills the process; a command that cannot be spawned rejects with RuntimeError.
// logs: tail / sinceTime / timestamps / limitBytes over the file; `follow` polls the file
// for appended lines until the signal aborts, the container is marked exited, or the limit.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type {
  ContainerRuntime, ContainerStatus, ExecOptions, ImageInfo, LogOptions, PodSandboxStatus, RuntimeVersion,
} from '../../runtime/types.js';
import { RuntimeError } from '../../runtime/types.js';
import { parseCriLog, type CriLogEntry } from './cri-log-file.js';

interface Record_ { id: string; name: string; logPath: string; state: ContainerStatus['state']; }

export class ProcessRuntime implements ContainerRuntime {
  private readonly containers = new Map<string, Record_>();
  /** How many exec'd processes are alive (tests check that aborts kill them). */
  running = 0;
  /** How many logs() calls are in progress (tests check that client disconnects end them). */
  activeLogs = 0;
  /** Terminal sizes received by tty execs, in order (this double has no terminal to resize). */
  readonly resizes: { width: number; height: number }[] = [];

  constructor(private readonly opts: { workDir: string; pollMs?: number }) {}

  addContainer(id: string, c: { name: string; logPath: string; state?: ContainerStatus['state'] }): void {
    this.containers.set(id, { id, name: c.name, logPath: c.logPath, state: c.state ?? 'running' });
  }

  setState(id: string, state: ContainerStatus['state']): void {
    const c = this.containers.get(id);
    if (c) c.state = state;
  }

  async version(): Promise<RuntimeVersion> { return { runtimeName: 'process-test-double', runtimeVersion: '0' }; }
  async status(): Promise<void> {}

  async exec(id: string, o: ExecOptions): Promise<number> {
    const c = this.need(id);
    if (c.state !== 'running') throw new RuntimeError('ContainerNotRunning', `container ${id} is not running`);
    if (!o.command.length) throw new RuntimeError('RunContainerError', 'no command');
    const child = spawn(o.command[0]!, o.command.slice(1), {
      cwd: this.opts.workDir, stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.opts.workDir, ...(o.tty ? { TERM: 'xterm' } : {}) },
    });
    this.running++;
    if (o.resize) void (async () => { for await (const size of o.resize!) this.resizes.push(size); })();
    const stdout = o.stdout;
    const stderr = o.tty ? o.stdout : o.stderr;
    child.stdout!.on('data', (d: Buffer) => stdout?.write(d));
    child.stderr!.on('data', (d: Buffer) => stderr?.write(d));
    if (o.stdin && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the process does not read
      o.stdin.pipe(child.stdin);
    }
    const kill = () => child.kill('SIGKILL');
    o.signal?.addEventListener('abort', kill, { once: true });
    const timer = o.timeoutMs ? setTimeout(kill, o.timeoutMs) : undefined;
    try {
      return await new Promise<number>((resolve, reject) => {
        child.once('error', (err) => reject(new RuntimeError('RunContainerError',
          `exec: ${JSON.stringify(o.command[0])}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'executable file not found in $PATH' : err.message}`)));
        child.once('close', (code, sig) => resolve(code ?? 128 + signalNumber(sig)));
      });
    } finally {
      this.running--;
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
    }
  }

  async logs(id: string, o: LogOptions, out: NodeJS.WritableStream): Promise<void> {
    this.activeLogs++;
    try {
      await this.streamLogs(this.need(id), o, out);
    } finally {
      this.activeLogs--;
    }
  }

  private async streamLogs(c: Record_, o: LogOptions, out: NodeJS.WritableStream): Promise<void> {
    let sent = 0;
    let consumed = 0; // bytes of the file already turned into output
    /** Writes the entries (one write per batch); false once limitBytes is reached. */
    const emit = async (entries: CriLogEntry[]): Promise<boolean> => {
      const parts: string[] = [];
      let more = true;
      for (const e of entries) {
        if (o.sinceTime !== undefined && e.ms < o.sinceTime) continue;
        let text = o.timestamps ? `${e.time} ${e.content}` : e.content;
        if (o.limitBytes !== undefined) {
          const left = o.limitBytes - sent;
          if (Buffer.byteLength(text) > left) text = Buffer.from(text).subarray(0, left).toString('utf8');
        }
        sent += Buffer.byteLength(text);
        parts.push(text);
        if (o.limitBytes !== undefined && sent >= o.limitBytes) { more = false; break; }
      }
      const text = parts.join('');
      if (text) await write(out, text);
      return more;
    };
    const readNew = async (): Promise<CriLogEntry[]> => {
      const buf = await readFile(c.logPath).catch(() => Buffer.alloc(0));
      const end = buf.lastIndexOf(0x0a) + 1; // complete lines only
      if (end <= consumed) return [];
      const entries = parseCriLog(buf.subarray(consumed, end).toString('utf8'));
      consumed = end;
      return entries;
    };
    let first = await readNew();
    if (o.tail !== undefined) first = o.tail === 0 ? [] : tailLines(first, o.tail);
    if (!(await emit(first)) || !o.follow) return;
    while (!o.signal?.aborted && c.state === 'running') {
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 50));
      if (!(await emit(await readNew()))) return;
    }
    await emit(await readNew());
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    const c = this.containers.get(id);
    if (!c) return undefined;
    return { id, sandboxId: 'test', name: c.name, attempt: 0, image: 'test', imageRef: 'test', state: c.state, createdAt: 0, logPath: c.logPath, labels: {} };
  }
  async listContainers(): Promise<ContainerStatus[]> {
    return (await Promise.all([...this.containers.keys()].map((id) => this.containerStatus(id)))).filter((s): s is ContainerStatus => !!s);
  }

  runPodSandbox(): Promise<PodSandboxStatus> { return notHere('runPodSandbox'); }
  stopPodSandbox(): Promise<void> { return notHere('stopPodSandbox'); }
  removePodSandbox(): Promise<void> { return notHere('removePodSandbox'); }
  podSandboxStatus(): Promise<PodSandboxStatus | undefined> { return notHere('podSandboxStatus'); }
  listPodSandboxes(): Promise<PodSandboxStatus[]> { return notHere('listPodSandboxes'); }
  createContainer(): Promise<string> { return notHere('createContainer'); }
  startContainer(): Promise<void> { return notHere('startContainer'); }
  stopContainer(): Promise<void> { return notHere('stopContainer'); }
  removeContainer(): Promise<void> { return notHere('removeContainer'); }
  listImages(): Promise<ImageInfo[]> { return notHere('listImages'); }
  imageStatus(): Promise<ImageInfo | undefined> { return notHere('imageStatus'); }
  pullImage(): Promise<ImageInfo> { return notHere('pullImage'); }
  importImage(): Promise<ImageInfo[]> { return notHere('importImage'); }
  removeImage(): Promise<void> { return notHere('removeImage'); }

  private need(id: string): Record_ {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `container ${id} not found`);
    return c;
  }
}

/** The last n lines; partial (P) entries belong to the line their next full entry ends. */
function tailLines(entries: CriLogEntry[], n: number): CriLogEntry[] {
  const lines: CriLogEntry[][] = [[]];
  for (const e of entries) {
    lines[lines.length - 1]!.push(e);
    if (e.content.endsWith('\n')) lines.push([]);
  }
  if (!lines[lines.length - 1]!.length) lines.pop();
  return lines.slice(-n).flat();
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function signalNumber(sig: NodeJS.Signals | null): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };
  return sig ? table[sig] ?? 1 : 0;
}

function notHere<T>(method: string): Promise<T> {
  return Promise.reject(new Error(`${method} is not implemented by the process test double`));
}
