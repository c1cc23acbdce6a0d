// Where a node's kubelet listens: an address from status.addresses (InternalIP, then
// ExternalIP, then Hostname — upstream's --kubelet-preferred-address-types with IPs first,
// since node host names need not resolve here) and status.daemonEndpoints.kubeletEndpoint.Port
// (10250 when unset). Pure; throws a 503 StatusError when the node publishes no address.
import { Errors, type KubeObject } from '@k8ts/shared';

export const DEFAULT_KUBELET_PORT = 10250;
const PREFERRED = ['InternalIP', 'ExternalIP', 'Hostname'];

export interface KubeletLocation { host: string; port: number; }

export function kubeletLocation(node: KubeObject): KubeletLocation {
  const st = (node.status ?? {}) as {
    addresses?: { type?: string; address?: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
  const addrs = Array.isArray(st.addresses) ? st.addresses : [];
  let host: string | undefined;
  for (const t of PREFERRED) {
    host = addrs.find((a) => a?.type === t && typeof a.address === 'string' && a.address)?.address;
    if (host) break;
  }
  if (!host) throw Errors.unavailable(`node "${node.metadata.name}" has no address in status.addresses: cannot reach its kubelet`);
  const p = st.daemonEndpoints?.kubeletEndpoint?.Port;
  const port = typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536 ? p : DEFAULT_KUBELET_PORT;
  return { host, port };
}
