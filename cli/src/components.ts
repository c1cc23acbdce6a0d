// THE component table of a local cluster: what `k8ts up` starts, in order, each behind a
// readiness check; `k8ts down` stops them in reverse order.
//
// To add a component (scheduler, controller-manager, kubelets, kube-proxy, dns ...), append an
// entry: name, command, args, markers (strings that identify its process in /proc/<pid>/cmdline,
// including one that is specific to this state directory), readiness URL, ports it binds.
// Components authenticate with <state>/kubeconfigs/<identity>.kubeconfig (see identities.ts).
//
// Contract: pure (no I/O); the same context always yields the same table. Side effects a
// component needs before it starts live in its `beforeStart`, which only `up` calls.
import { join } from 'node:path';
import { containerdCommand, containerdLayout, namespaceForNode, writeContainerdConfig } from '@k8ts/kubelet/runtime/containerd/containerd-config';
import { nodePorts, type ClusterConfig } from './cluster-config.js';
import { ensureLoopbackAddress, loadNodeImages, removeNodePods } from './node-prepare.js';
import { kubeletClientPaths, kubeletServingPaths } from './pki.js';
import type { Readiness } from './readiness.js';
import type { StateLayout } from './state-layout.js';

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  /** Every marker must occur in the process's NUL-joined argv for a pid to count as this component. */
  markers: string[];
  readiness: Readiness;
  readyTimeoutMs: number;
  /** TCP ports on 127.0.0.1 it listens on: they must be free before it starts. */
  ports: number[];
  /** Files that must exist before it can start, each with a hint for the user. */
  requires: { file: string; hint: string }[];
  env?: Record<string, string>;
  /**
   * Work `up` does right before spawning it (only when it is not already running): e.g.
   * containerd's config file, the DNS address on `lo`, a node's images in its containerd
   * namespace. Throws CliError to stop `up` with a message.
   */
  beforeStart?: () => Promise<void>;
  /** Work `down` does before stopping it, while it still runs (only if it runs). Best effort. */
  beforeStop?: () => Promise<void>;
}

export interface ComponentContext {
  repoRoot: string;
  layout: StateLayout;
  config: ClusterConfig;
  /** Cluster CA (PEM), for https readiness checks; absent before the PKI exists. */
  caPem?: string | Buffer;
  /** Node.js binary for components written in TypeScript. */
  nodeBin: string;
  etcdBin: string;
  containerdBin?: string;
  /** Where `npm run images` put the workload image tarballs (default <repo>/.k8ts/images). */
  imagesDir?: string;
}

/**
 * Test knobs, read from the environment of `k8ts up` (the same names as the Compose
 * deployment's): K8TS_NODE_MONITOR_GRACE_PERIOD (controller-manager --node-monitor-grace-period,
 * default upstream's 50s) and K8TS_DEFAULT_TOLERATION_SECONDS (apiserver
 * --default-not-ready/unreachable-toleration-seconds, default 300). Unset: the flags are not
 * passed and upstream's defaults apply.
 */
function testKnobs(env: NodeJS.ProcessEnv): { apiserver: string[]; controllerManager: string[] } {
  const grace = env.K8TS_NODE_MONITOR_GRACE_PERIOD;
  const toleration = env.K8TS_DEFAULT_TOLERATION_SECONDS;
  return {
    apiserver: toleration ? [`--default-not-ready-toleration-seconds=${toleration}`, `--default-unreachable-toleration-seconds=${toleration}`] : [],
    controllerManager: grace ? [`--node-monitor-grace-period=${grace}`] : [],
  };
}

/**
 * K8TS_NODE_ARGS: extra Node.js flags put before the main script of every component written in
 * TypeScript (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark run). Split on
 * whitespace; unset or empty adds nothing. K8TS_NODE_ARGS_FOR (comma-separated component names,
 * `kubelet` standing for every `kubelet-<node>`) limits them to those components.
 */
function withNodeArgs(specs: ComponentSpec[], nodeBin: string, env: NodeJS.ProcessEnv): ComponentSpec[] {
  const extra = (env.K8TS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (!extra.length) return specs;
  const only = (env.K8TS_NODE_ARGS_FOR ?? '').split(',').filter(Boolean);
  const chosen = (name: string) => !only.length || only.some((o) => name === o || name.startsWith(`${o}-`));
  return specs.map((s) => (s.command === nodeBin && chosen(s.name) ? { ...s, args: [...extra, ...s.args] } : s));
}

export function componentTable(ctx: ComponentContext): ComponentSpec[] {
  return withNodeArgs(componentSpecs(ctx), ctx.nodeBin, process.env);
}

function componentSpecs(ctx: ComponentContext): ComponentSpec[] {
  const { layout, config } = ctx;
  const knobs = testKnobs(process.env);
  const etcdUrl = `http://127.0.0.1:${config.etcdPort}`;
  const etcdPeerUrl = `http://127.0.0.1:${config.etcdPort + 1}`;
  const apiserverMain = join(ctx.repoRoot, 'apiserver', 'dist', 'main.js');
  const controllerManagerMain = join(ctx.repoRoot, 'controller-manager', 'dist', 'main.js');
  const controllerManagerKubeconfig = layout.componentKubeconfig('controller-manager');
  const schedulerMain = join(ctx.repoRoot, 'scheduler', 'dist', 'main.js');
  const schedulerKubeconfig = layout.componentKubeconfig('scheduler');
  const kubeletClient = kubeletClientPaths(layout.pkiDir);
  const build = { hint: 'build it first: npx tsc -b (or scripts/install-deps.sh)' };
  return [
    {
      name: 'etcd',
      command: ctx.etcdBin,
      args: [
        '--name', 'k8ts',
        '--data-dir', layout.etcdDataDir,
        '--listen-client-urls', etcdUrl,
        '--advertise-client-urls', etcdUrl,
        '--listen-peer-urls', etcdPeerUrl,
        '--initial-advertise-peer-urls', etcdPeerUrl,
        '--initial-cluster', `k8ts=${etcdPeerUrl}`,
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        // Bounded history, as upstream's apiserver compacts: keeps an hour of revisions for
        // watch resumption instead of growing until etcd's 2 GiB quota alarm.
        '--auto-compaction-mode', 'periodic',
        '--auto-compaction-retention', '1h',
      ],
      markers: ['etcd', `--data-dir\0${layout.etcdDataDir}`],
      readiness: { url: `${etcdUrl}/health` },
      readyTimeoutMs: 20_000,
      ports: [config.etcdPort, config.etcdPort + 1],
      requires: [],
    },
    {
      name: 'apiserver',
      command: ctx.nodeBin,
      args: [
        apiserverMain,
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${config.apiserverPort}`,
        `--tls-cert-file=${layout.apiserverCert}`,
        `--tls-private-key-file=${layout.apiserverKey}`,
        `--client-ca-file=${layout.caCert}`,
        `--token-auth-file=${layout.tokenFile}`,
        `--service-cluster-ip-range=${config.serviceClusterIpRange}`,
        `--service-node-port-range=${config.serviceNodePortRange}`,
        '--advertise-address=127.0.0.1',
        `--kubelet-client-certificate=${kubeletClient.cert}`,
        `--kubelet-client-key=${kubeletClient.key}`,
        `--kubelet-certificate-authority=${layout.caCert}`,
        ...knobs.apiserver,
      ],
      markers: [apiserverMain, `--token-auth-file=${layout.tokenFile}`],
      readiness: { url: `https://127.0.0.1:${config.apiserverPort}/readyz`, ...(ctx.caPem ? { ca: ctx.caPem } : {}) },
      readyTimeoutMs: 30_000,
      ports: [config.apiserverPort],
      requires: [{ file: apiserverMain, ...build }],
    },
    {
      name: 'controller-manager',
      command: ctx.nodeBin,
      args: [
        controllerManagerMain,
        `--kubeconfig=${controllerManagerKubeconfig}`,
        '--leader-elect=true',
        '--bind-address=127.0.0.1',
        `--port=${config.controllerManagerPort}`,
        `--cluster-cidr=${config.clusterCidr}`,
        ...knobs.controllerManager,
      ],
      markers: [controllerManagerMain, `--kubeconfig=${controllerManagerKubeconfig}`],
      readiness: { url: `http://127.0.0.1:${config.controllerManagerPort}/readyz` },
      readyTimeoutMs: 20_000,
      ports: [config.controllerManagerPort],
      requires: [
        { file: controllerManagerMain, ...build },
        { file: controllerManagerKubeconfig, hint: 'it is written by `k8ts up` with the other credentials' },
      ],
    },
    {
      name: 'scheduler',
      command: ctx.nodeBin,
      args: [
        schedulerMain,
        `--kubeconfig=${schedulerKubeconfig}`,
        '--leader-elect=true',
        '--bind-address=127.0.0.1',
        `--secure-port=${config.schedulerPort}`,
      ],
      markers: [schedulerMain, `--kubeconfig=${schedulerKubeconfig}`],
      readiness: { url: `http://127.0.0.1:${config.schedulerPort}/readyz` },
      readyTimeoutMs: 20_000,
      ports: [config.schedulerPort],
      requires: [
        { file: schedulerMain, ...build },
        { file: schedulerKubeconfig, hint: 'it is written by `k8ts up` with the other credentials' },
      ],
    },
    ...(config.nodeNames.length ? nodeComponents(ctx) : []),
  ];
}

/**
 * The node side of a local cluster. All nodes share this machine's network stack (each has its
 * own bridge, pod CIDR and containerd namespace), so one kube-proxy programs the rules for all
 * of them, and one containerd serves every node (a namespace each; see docs/local-cluster.md).
 */
function nodeComponents(ctx: ComponentContext): ComponentSpec[] {
  const { layout, config } = ctx;
  const build = { hint: 'build it first: npx tsc -b (or scripts/install-deps.sh)' };
  const ctd = containerdLayout(join(layout.root, 'containerd'));
  const ctdCmd = containerdCommand(ctd, ctx.containerdBin ?? 'containerd');
  const kubeletMain = join(ctx.repoRoot, 'kubelet', 'dist', 'main.js');
  const proxyMain = join(ctx.repoRoot, 'kube-proxy', 'dist', 'main.js');
  const dnsMain = join(ctx.repoRoot, 'dns', 'dist', 'main.js');
  const proxyKubeconfig = layout.componentKubeconfig('kube-proxy');
  const dnsKubeconfig = layout.componentKubeconfig('dns');
  const dnsHealthPort = 10054;
  const proxyPort = nodePorts(0).kubeProxy;
  const specs: ComponentSpec[] = [
    {
      name: 'containerd',
      command: ctdCmd.command,
      args: ctdCmd.args,
      markers: ['containerd', ctd.configFile],
      readiness: { url: `http://127.0.0.1:${ctd.metricsPort}/v1/metrics` },
      readyTimeoutMs: 20_000,
      ports: [ctd.metricsPort],
      requires: [],
      beforeStart: () => writeContainerdConfig(ctd),
      // `down` leaves no pod behind: every node's containers and sandboxes, then its bridge
      beforeStop: () => removeNodePods(ctd.socket, config.nodeNames.map((node) => ({
        node, stateDir: join(layout.root, 'nodes', node, 'runtime'),
      })), config),
    },
    {
      name: 'kube-proxy',
      command: ctx.nodeBin,
      args: [
        proxyMain,
        `--kubeconfig=${proxyKubeconfig}`,
        `--hostname-override=${config.nodeNames[0]}`,
        `--cluster-cidr=${config.clusterCidr}`,
        `--healthz-bind-address=127.0.0.1:${proxyPort}`,
      ],
      markers: [proxyMain, `--kubeconfig=${proxyKubeconfig}`],
      readiness: { url: `http://127.0.0.1:${proxyPort}/readyz` },
      readyTimeoutMs: 30_000,
      ports: [proxyPort],
      requires: [{ file: proxyMain, ...build }],
    },
    {
      name: 'dns',
      command: ctx.nodeBin,
      args: [
        dnsMain,
        `--kubeconfig=${dnsKubeconfig}`,
        `--bind-address=${config.dnsAddress}`,
        '--port=53',
        `--advertise-address=${config.dnsAddress}`,
        `--cluster-ip=${config.clusterDnsIp}`,
        `--health-port=${dnsHealthPort}`,
      ],
      markers: [dnsMain, `--kubeconfig=${dnsKubeconfig}`],
      readiness: { url: `http://127.0.0.1:${dnsHealthPort}/readyz` },
      readyTimeoutMs: 20_000,
      ports: [dnsHealthPort],
      requires: [{ file: dnsMain, ...build }],
      beforeStart: () => ensureLoopbackAddress(config.dnsAddress),
    },
  ];
  config.nodeNames.forEach((node, i) => {
    const ports = nodePorts(i);
    const kubeconfig = layout.componentKubeconfig(`node-${node}`);
    const serving = kubeletServingPaths(layout.pkiDir, node);
    specs.push({
      name: `kubelet-${node}`,
      command: ctx.nodeBin,
      args: [
        kubeletMain,
        `--kubeconfig=${kubeconfig}`,
        `--hostname-override=${node}`,
        `--root-dir=${join(layout.root, 'nodes', node)}`,
        `--container-runtime-endpoint=unix://${ctd.socket}`,
        `--containerd-namespace=${namespaceForNode(node)}`,
        '--node-ip=127.0.0.1',
        '--address=127.0.0.1',
        `--port=${ports.kubelet}`,
        `--healthz-port=${ports.kubeletHealthz}`,
        `--tls-cert-file=${serving.cert}`,
        `--tls-private-key-file=${serving.key}`,
        `--client-ca-file=${layout.caCert}`,
        `--cluster-dns=${config.clusterDnsIp}`,
        `--cluster-cidr=${config.clusterCidr}`,
        `--service-cidr=${config.serviceClusterIpRange}`,
      ],
      markers: [kubeletMain, `--kubeconfig=${kubeconfig}`],
      readiness: { url: `http://127.0.0.1:${ports.kubeletHealthz}/healthz` },
      readyTimeoutMs: 30_000,
      ports: [ports.kubelet, ports.kubeletHealthz],
      requires: [
        { file: kubeletMain, ...build },
        { file: serving.cert, hint: 'it is issued by `k8ts up` with the other credentials' },
      ],
      beforeStart: () => loadNodeImages(ctd.socket, namespaceForNode(node), ctx.imagesDir ?? join(ctx.repoRoot, '.k8ts', 'images')),
    });
  });
  return specs;
}
