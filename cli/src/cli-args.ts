// Command-line parsing for `k8ts`. Contract: pure; returns the command and its options, or
// throws a CliError with a usage hint (exit code 2) for bad input.
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import type { ClusterConfig } from './cluster-config.js';

export const USAGE = `Usage: k8ts <command> [options]

Commands:
  up       start the local cluster (etcd, apiserver) in the background; idempotent
  down     stop everything 'up' started (keeps data)
  status   show each component's pid and readiness
  image load FILE.tar...   import image tarballs (OCI or docker-archive) into every node

Options:
  --state-dir DIR         cluster state (default: $K8TS_STATE_DIR or .k8ts)
  --apiserver-port PORT   apiserver HTTPS port (up; default 6443, then as last used)
  --etcd-port PORT        etcd client port; PORT+1 is its peer port (up; default 2379)
  --nodes N               worker nodes node-1..node-N (up; default 2, then as last used;
                          0 = control plane only: no containerd, kubelets, kube-proxy or DNS)
  -h, --help              this text`;

export type Command = 'up' | 'down' | 'status' | 'help' | 'image-load';

export interface ParsedArgs {
  command: Command;
  stateDir: string;
  overrides: Partial<ClusterConfig>;
  /** `image load` only: the tarballs to import. */
  files?: string[];
}

function port(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new CliError(`${flag} must be a port number (1-65535), got "${v}"\n\n${USAGE}`, 2);
  return n;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'state-dir': { type: 'string' },
        'apiserver-port': { type: 'string' },
        'etcd-port': { type: 'string' },
        nodes: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const stateDir = values['state-dir'] ?? env.K8TS_STATE_DIR ?? '.k8ts';
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return { command: 'help', stateDir, overrides: {} };
  if (positionals[0] === 'image') {
    if (positionals[1] !== 'load' || positionals.length < 3) throw new CliError(`usage: k8ts image load FILE.tar...\n\n${USAGE}`, 2);
    if (values['apiserver-port'] !== undefined || values['etcd-port'] !== undefined) throw new CliError(`--apiserver-port and --etcd-port apply to 'up' only`, 2);
    return { command: 'image-load', stateDir, overrides: {}, files: positionals.slice(2) };
  }
  if (positionals.length > 1) throw new CliError(`unexpected argument "${positionals[1]}"\n\n${USAGE}`, 2);
  const command = positionals[0]!;
  if (command !== 'up' && command !== 'down' && command !== 'status') throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
  const overrides: Partial<ClusterConfig> = {};
  const api = port('--apiserver-port', values['apiserver-port']);
  const etcd = port('--etcd-port', values['etcd-port']);
  if (api !== undefined) overrides.apiserverPort = api;
  if (etcd !== undefined) overrides.etcdPort = etcd;
  if (values.nodes !== undefined) {
    if (!/^\d+$/.test(values.nodes) || Number(values.nodes) > 20) throw new CliError(`--nodes must be a number from 0 to 20, got "${values.nodes}"\n\n${USAGE}`, 2);
    if (command !== 'up') throw new CliError('--nodes applies to \'up\' only', 2);
    overrides.nodeNames = Array.from({ length: Number(values.nodes) }, (_, i) => `node-${i + 1}`);
  }
  if (command !== 'up' && (api !== undefined || etcd !== undefined)) {
    throw new CliError(`--apiserver-port and --etcd-port apply to 'up' only ('${command}' uses the ports in <state>/cluster.json)`, 2);
  }
  return { command, stateDir, overrides };
}
