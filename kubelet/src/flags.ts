// The kubelet's command line (the subset k8ts implements), kubelet-style names and defaults:
//   --kubeconfig=PATH                    API server and credentials (required unless --server)
//   --server=URL                         API server URL (k8ts convenience; overrides kubeconfig)
//   --hostname-override=NAME             node name (default: the machine's hostname, lower-cased)
//   --root-dir=/var/lib/k8ts/kubelet     state: pods/<uid>/{volumes,logs,etc-hosts,resolv.conf}, IPAM
//   --container-runtime-endpoint=unix:///run/containerd/containerd.sock
//   --containerd-namespace=k8ts-<node>   one per node (runc state is shared per namespace)
//   --node-ip=IP                         InternalIP and every pod's hostIP (default: first non-loopback IPv4)
//   --port=10250 --address=0.0.0.0      HTTPS logs/exec server (port reported in daemonEndpoints)
//   --tls-cert-file --tls-private-key-file --client-ca-file   its serving cert and client CA
//   --healthz-port=10248 --healthz-bind-address=127.0.0.1   plain HTTP /healthz (0 = any free port)
//   --cluster-dns=10.96.0.10 (comma list) --cluster-domain=cluster.local
//   --max-pods=110 --node-status-update-frequency=10s --node-lease-duration-seconds=40
//   --pod-cidr=CIDR                      fallback when nodeipam has not set spec.podCIDR
//   --cni-bridge=NAME                    bridge name handed to the runtime (default: derived from the node name)
//   --cluster-cidr=10.244.0.0/16 --service-cidr=10.96.0.0/16   (k8ts-specific) the runtime's
//                                        network-safety routes (unreachable cluster CIDR, local service CIDR)
//   --register-with-taints=k=v:Effect,...  --node-labels=k=v,...
//   --image-archive-dir=DIR --max-parallel-pod-starts=4   (k8ts-specific)
// Contract: pure; unknown flags and malformed values throw FlagError (main exits 2).
import { hostname } from 'node:os';
import { FlagError, parseDuration, parseIntFlag as int, splitFlags } from '@k8ts/shared';

export { FlagError, parseDuration, splitFlags };


export interface KubeletFlags {
  help: boolean;
  kubeconfig?: string;
  server?: string;
  nodeName: string;
  rootDir: string;
  containerRuntimeEndpoint: string;
  containerdNamespace?: string;
  nodeIP?: string;
  port: number;
  address: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCAFile?: string;
  healthzPort: number;
  healthzBindAddress: string;
  clusterDNS: string[];
  clusterDomain: string;
  maxPods: number;
  nodeStatusUpdateFrequencyMs: number;
  nodeLeaseDurationSeconds: number;
  podCIDR?: string;
  cniBridge?: string;
  clusterCIDR: string;
  serviceCIDR: string;
  registerWithTaints: { key: string; value?: string; effect: string }[];
  nodeLabels: Record<string, string>;
  /** --image-archive-dir: tarballs imported in the background at start (runtime/image-archives.ts). */
  imageArchiveDir: string | undefined;
  /** --max-parallel-pod-starts (k8ts-specific): pods brought up at once (pod-workers.ts). */
  maxParallelPodStarts: number;
}

export const USAGE = `Usage: node kubelet/dist/main.js [flags]

  --kubeconfig=PATH                      kubeconfig with the API server and credentials
  --server=URL                           API server URL (overrides the kubeconfig's)
  --hostname-override=NAME               node name (default: hostname)
  --root-dir=/var/lib/k8ts/kubelet       kubelet state (pod volumes, logs, IPAM)
  --container-runtime-endpoint=unix:///run/containerd/containerd.sock
  --containerd-namespace=k8ts-<node>     containerd namespace (one per node)
  --node-ip=IP                           node InternalIP (default: first non-loopback IPv4)
  --port=10250                           HTTPS (logs/exec) port, reported in the Node status
  --address=0.0.0.0                      HTTPS bind address
  --tls-cert-file=PATH                   HTTPS serving certificate
  --tls-private-key-file=PATH            its key
  --client-ca-file=PATH                  CA that signs the apiserver's kubelet-client certificate
  --healthz-port=10248                   plain HTTP /healthz port (0 = pick one)
  --healthz-bind-address=127.0.0.1
  --cluster-dns=10.96.0.10               comma-separated DNS server IPs for ClusterFirst pods
  --cluster-domain=cluster.local
  --max-pods=110
  --node-status-update-frequency=10s
  --node-lease-duration-seconds=40
  --pod-cidr=CIDR                        fallback when nodeipam has not set spec.podCIDR
  --cni-bridge=NAME                      pod bridge name (default: derived from the node name)
  --cluster-cidr=10.244.0.0/16           all pod IPs of the cluster (network-safety routes)
  --service-cidr=10.96.0.0/16            the service ClusterIP range (routed locally)
  --register-with-taints=KEY=VALUE:EFFECT,...
  --node-labels=KEY=VALUE,...
  --image-archive-dir=DIR                image tarballs (*.tar) imported in the background at start;
                                         a pod needing one of them waits for the import
  --max-parallel-pod-starts=4            new pods brought up at once, in arrival order (k8ts-specific)
`;

const KNOWN = new Set(['help', 'kubeconfig', 'server', 'hostname-override', 'root-dir', 'container-runtime-endpoint',
  'containerd-namespace', 'node-ip', 'port', 'healthz-port', 'healthz-bind-address', 'cluster-dns', 'cluster-domain',
  'max-pods', 'node-status-update-frequency', 'node-lease-duration-seconds', 'pod-cidr', 'cni-bridge',
  'register-with-taints', 'node-labels', 'cluster-cidr', 'service-cidr', 'address', 'tls-cert-file',
  'tls-private-key-file', 'client-ca-file', 'image-archive-dir', 'max-parallel-pod-starts']);




function cidrFlag(name: string, v: string): string {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v)) throw new FlagError(`invalid --${name} ${JSON.stringify(v)}`);
  return v;
}

export function parseTaints(v: string): KubeletFlags['registerWithTaints'] {
  if (!v) return [];
  return v.split(',').map((t) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(t.trim());
    if (!m) throw new FlagError(`invalid taint ${JSON.stringify(t)}: want key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
    return { key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3]! };
  });
}

export function parseLabels(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v) return out;
  for (const kv of v.split(',')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new FlagError(`invalid label ${JSON.stringify(kv)}: want key=value`);
    out[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
  }
  return out;
}

export function parseKubeletFlags(argv: string[]): KubeletFlags {
  const f = splitFlags(argv);
  for (const k of f.keys()) if (!KNOWN.has(k)) throw new FlagError(`unknown flag: --${k}`);
  const get = (k: string): string | undefined => f.get(k);
  const ip = get('node-ip');
  if (ip !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && !ip.includes(':')) throw new FlagError(`invalid --node-ip ${JSON.stringify(ip)}`);
  const cidr = get('pod-cidr');
  if (cidr !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw new FlagError(`invalid --pod-cidr ${JSON.stringify(cidr)}`);
  const freq = parseDuration(get('node-status-update-frequency') ?? '10s');
  if (!(freq > 0)) throw new FlagError('--node-status-update-frequency must be greater than zero');
  return {
    help: f.has('help'),
    kubeconfig: get('kubeconfig'),
    server: get('server'),
    nodeName: (get('hostname-override') ?? hostname()).toLowerCase(),
    rootDir: get('root-dir') ?? '/var/lib/k8ts/kubelet',
    containerRuntimeEndpoint: get('container-runtime-endpoint') ?? 'unix:///run/containerd/containerd.sock',
    containerdNamespace: get('containerd-namespace'),
    nodeIP: ip,
    port: int('port', get('port') ?? '10250', 0, 65535),
    address: get('address') ?? '0.0.0.0',
    tlsCertFile: get('tls-cert-file'),
    tlsPrivateKeyFile: get('tls-private-key-file'),
    clientCAFile: get('client-ca-file'),
    healthzPort: int('healthz-port', get('healthz-port') ?? '10248', 0, 65535),
    healthzBindAddress: get('healthz-bind-address') ?? '127.0.0.1',
    clusterDNS: (get('cluster-dns') ?? '10.96.0.10').split(',').map((s) => s.trim()).filter(Boolean),
    clusterDomain: get('cluster-domain') ?? 'cluster.local',
    maxPods: int('max-pods', get('max-pods') ?? '110', 1, 100_000),
    nodeStatusUpdateFrequencyMs: freq,
    nodeLeaseDurationSeconds: int('node-lease-duration-seconds', get('node-lease-duration-seconds') ?? '40', 1, 3600),
    podCIDR: cidr,
    cniBridge: get('cni-bridge'),
    clusterCIDR: cidrFlag('cluster-cidr', get('cluster-cidr') ?? '10.244.0.0/16'),
    serviceCIDR: cidrFlag('service-cidr', get('service-cidr') ?? '10.96.0.0/16'),
    registerWithTaints: parseTaints(get('register-with-taints') ?? ''),
    nodeLabels: parseLabels(get('node-labels') ?? ''),
    imageArchiveDir: get('image-archive-dir'),
    maxParallelPodStarts: int('max-parallel-pod-starts', get('max-parallel-pod-starts') ?? '4', 1, 1000),
  };
}
