// What every command needs: the state layout, the cluster options and the component table.
//
// Contract: loading a context never creates or changes files. Options given on the command
// line win over <state>/cluster.json, which wins over the defaults.
import { readFile } from 'node:fs/promises';
import { DEFAULT_CLUSTER_CONFIG, loadClusterConfig, type ClusterConfig } from './cluster-config.js';
import { componentTable, type ComponentContext, type ComponentSpec } from './components.js';
import { REPO_ROOT } from './repo-root.js';
import { stateLayout, type StateLayout } from './state-layout.js';

export type Printer = (line: string) => void;

export interface CommandOptions {
  stateDir: string;
  /** Overrides of cluster.json / defaults from the command line. */
  overrides?: Partial<ClusterConfig>;
  out?: Printer;
  repoRoot?: string;
  /** The component table; tests inject their own. */
  table?: (ctx: ComponentContext) => ComponentSpec[];
  etcdBin?: string;
  nodeBin?: string;
  /** SIGTERM grace before SIGKILL, for `down`. */
  stopGraceMs?: number;
}

export interface CommandContext {
  layout: StateLayout;
  /** cluster.json as found (undefined on first start). */
  saved: ClusterConfig | undefined;
  config: ClusterConfig;
  out: Printer;
  components(caPem?: string | Buffer): ComponentSpec[];
  /** The CA PEM if the PKI exists. */
  readCa(): Promise<Buffer | undefined>;
}

export async function loadCommandContext(opts: CommandOptions): Promise<CommandContext> {
  const layout = stateLayout(opts.stateDir);
  const saved = await loadClusterConfig(layout.clusterFile);
  const config: ClusterConfig = { ...DEFAULT_CLUSTER_CONFIG, ...saved, ...opts.overrides } as ClusterConfig;
  config.nodeNames = [...config.nodeNames];
  const table = opts.table ?? componentTable;
  return {
    layout,
    saved,
    config,
    out: opts.out ?? ((line) => process.stdout.write(line + '\n')),
    components: (caPem) => table({
      repoRoot: opts.repoRoot ?? REPO_ROOT,
      layout,
      config,
      nodeBin: opts.nodeBin ?? process.execPath,
      etcdBin: opts.etcdBin ?? process.env.ETCD_BIN ?? 'etcd',
      ...(caPem ? { caPem } : {}),
    }),
    async readCa() {
      try {
        return await readFile(layout.caCert);
      } catch {
        return undefined;
      }
    },
  };
}
