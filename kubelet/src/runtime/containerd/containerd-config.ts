// The ONE containerd of a local k8ts cluster: its config file and command line.
//
// Layout under <dir> (e.g. <state>/containerd/):
//   config.toml      rendered by renderContainerdConfig (written by writeContainerdConfig)
//   root/            containerd --root (content store, snapshots, metadata)
//   state/           containerd --state (shim sockets, task bundles)
//   containerd.sock  gRPC API (ctr -a <sock>); containerd.sock.ttrpc; debug.sock
// Readiness: GET http://127.0.0.1:<metricsPort>/v1/metrics answers 200 once the API serves.
//
// Contract: pure rendering (+ one write helper). Never collides with a system containerd: own
// root, state, sockets; the CRI plugin is disabled (the kubelet drives containerd through its
// own shim, not CRI); cgroupfs driver (runc's default without systemd). Each simulated node uses
// its own containerd namespace `k8ts-<node>`, which also gives it its own runc root
// (/run/containerd/runc/<namespace>), so equal container ids on two nodes never collide.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ContainerdLayout {
  dir: string;
  configFile: string;
  root: string;
  state: string;
  socket: string;
  metricsPort: number;
}

export const DEFAULT_CONTAINERD_METRICS_PORT = 10263;

export function containerdLayout(dir: string, metricsPort = DEFAULT_CONTAINERD_METRICS_PORT): ContainerdLayout {
  return {
    dir,
    configFile: join(dir, 'config.toml'),
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    socket: join(dir, 'containerd.sock'),
    metricsPort,
  };
}

/** The containerd namespace of a simulated node. */
export function namespaceForNode(nodeName: string): string {
  return `k8ts-${nodeName}`;
}

export function renderContainerdConfig(l: ContainerdLayout): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    '# Rendered by k8ts (kubelet/src/runtime/containerd/containerd-config.ts); do not edit.',
    'version = 2',
    `root = ${q(l.root)}`,
    `state = ${q(l.state)}`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
    '',
    '[grpc]',
    `  address = ${q(l.socket)}`,
    '',
    '[ttrpc]',
    `  address = ${q(`${l.socket}.ttrpc`)}`,
    '',
    '[debug]',
    `  address = ${q(join(l.dir, 'debug.sock'))}`,
    '  level = "info"',
    '',
    '[metrics]',
    `  address = ${q(`127.0.0.1:${l.metricsPort}`)}`,
    '',
    '[plugins."io.containerd.runtime.v1.linux"]',
    '  shim_debug = false',
    '',
  ].join('\n');
}

/** `containerd --config <dir>/config.toml` (run as root). */
export function containerdCommand(l: ContainerdLayout, bin = 'containerd'): { command: string; args: string[] } {
  return { command: bin, args: ['--config', l.configFile] };
}

export async function writeContainerdConfig(l: ContainerdLayout): Promise<void> {
  await mkdir(l.root, { recursive: true, mode: 0o711 });
  await mkdir(l.state, { recursive: true, mode: 0o711 });
  await writeFile(l.configFile, renderContainerdConfig(l));
}
