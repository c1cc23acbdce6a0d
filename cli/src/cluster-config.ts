// The options a local cluster runs with, persisted as <state>/cluster.json so that `down`,
// `status` and a later `up` without flags use the same ports as the running cluster.
//
// Contract:
// - loadClusterConfig returns undefined when the file does not exist; a corrupt file is an error.
// - Unknown fields in the file are ignored; missing ones take the defaults (forward compatible).
import { readFile, writeFile, rename } from 'node:fs/promises';

export interface ClusterConfig {
  apiserverPort: number;
  /** etcd client port; the peer port is etcdPort + 1. */
  etcdPort: number;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  /** Names of the cluster's nodes; each gets a system:node:<name> identity. */
  nodeNames: string[];
  /** controller-manager health port (plain HTTP on 127.0.0.1). */
  controllerManagerPort: number;
  /** scheduler health and metrics port (plain HTTP on 127.0.0.1). */
  schedulerPort: number;
  /** The cluster's pod CIDR (nodeipam hands out a /24 per node from it). */
  clusterCidr: string;
  /** ClusterIP of kube-system/kube-dns (every kubelet's --cluster-dns). */
  clusterDnsIp: string;
  /**
   * A k8ts-owned link-local address on `lo` where the cluster DNS listens (port 53): pods
   * reach it through the kube-dns ClusterIP, and it is not on the machine's LAN.
   */
  dnsAddress: string;
}

export const DEFAULT_CLUSTER_CONFIG: Readonly<ClusterConfig> = Object.freeze({
  apiserverPort: 6443,
  etcdPort: 2379,
  serviceClusterIpRange: '10.96.0.0/16',
  serviceNodePortRange: '30000-32767',
  nodeNames: ['node-1', 'node-2'],
  controllerManagerPort: 10257,
  schedulerPort: 10259,
  clusterCidr: '10.244.0.0/16',
  clusterDnsIp: '10.96.0.10',
  dnsAddress: '169.254.20.10',
});

/** The ports of node `index` (0-based) on this machine: kubelet HTTPS, kubelet /healthz, kube-proxy /healthz. */
export function nodePorts(index: number): { kubelet: number; kubeletHealthz: number; kubeProxy: number } {
  return { kubelet: 10250 + 10 * index, kubeletHealthz: 10248 + 10 * index, kubeProxy: 10256 + 10 * index };
}

export async function loadClusterConfig(file: string): Promise<ClusterConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let raw: Partial<ClusterConfig>;
  try {
    raw = JSON.parse(text) as Partial<ClusterConfig>;
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); fix or delete it`);
  }
  return { ...DEFAULT_CLUSTER_CONFIG, ...raw, nodeNames: [...(raw.nodeNames ?? DEFAULT_CLUSTER_CONFIG.nodeNames)] };
}

export async function saveClusterConfig(file: string, config: ClusterConfig): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify(config, null, 2) + '\n');
  await rename(tmp, file);
}
