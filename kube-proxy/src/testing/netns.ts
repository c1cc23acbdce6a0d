// Test helper: throwaway network namespaces, so iptables and traffic tests never touch the
// host's rules or routes. Needs root and iproute2; `canUseNetns()` says whether to skip.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

let seq = 0;

export function canUseNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  try { execFileSync('iptables-restore', ['--version'], { stdio: 'ignore' }); } catch { return 'iptables is not installed (scripts/install-deps.sh node)'; }
  return undefined;
}

export class NetNs {
  readonly name: string;
  private readonly children: ChildProcess[] = [];

  constructor(tag: string) {
    this.name = `k8ts-${tag}-${process.pid}-${seq++}`;
    execFileSync('ip', ['netns', 'add', this.name]);
    this.exec(['ip', 'link', 'set', 'lo', 'up']);
  }

  exec(argv: string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}): string {
    try {
      return execFileSync('ip', ['netns', 'exec', this.name, ...argv], { encoding: 'utf8', timeout: opts.timeoutMs ?? 10_000, maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      if (opts.allowFail) return `EXIT ${(e as { status?: number }).status}: ${String((e as { stderr?: string }).stderr ?? '')}`;
      throw e;
    }
  }

  /** Starts a long-running process inside the namespace; killed by destroy(). */
  spawn(argv: string[]): ChildProcess {
    const c = spawn('ip', ['netns', 'exec', this.name, ...argv], { stdio: 'ignore' });
    this.children.push(c);
    return c;
  }

  get runner(): { prefix: string[] } { return { prefix: ['ip', 'netns', 'exec', this.name] }; }

  destroy(): void {
    for (const c of this.children) c.kill('SIGKILL');
    try { execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' }); } catch { /* already gone */ }
  }
}

/** A "node" namespace and a "pod" namespace joined by a veth: node 10.244.7.1, pod 10.244.7.2. */
export function nodeAndPod(): { node: NetNs; pod: NetNs; podIP: string; nodeIP: string; destroy(): void } {
  const node = new NetNs('kpnode');
  const pod = new NetNs('kppod');
  const v = `kpv${process.pid % 10000}${seq++}`;
  execFileSync('ip', ['link', 'add', v, 'netns', node.name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.name]);
  node.exec(['ip', 'addr', 'add', '10.244.7.1/24', 'dev', v]);
  node.exec(['ip', 'link', 'set', v, 'up']);
  // the leak guard the kubelet sets on real nodes: the service CIDR is routed locally
  node.exec(['ip', 'route', 'add', '10.96.0.0/16', 'dev', v]);
  pod.exec(['ip', 'addr', 'add', '10.244.7.2/24', 'dev', 'eth0']);
  pod.exec(['ip', 'link', 'set', 'eth0', 'up']);
  pod.exec(['ip', 'route', 'add', 'default', 'via', '10.244.7.1']);
  return { node, pod, podIP: '10.244.7.2', nodeIP: '10.244.7.1', destroy() { pod.destroy(); node.destroy(); } };
}
