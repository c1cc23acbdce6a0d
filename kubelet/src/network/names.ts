// Host-global names of k8ts network objects. Linux limits interface names to 15 characters and
// every simulated node shares the host's network namespace, so names carry a hash of whatever
// makes them unique.
//
// Contract: pure and stable (the same input always yields the same name, across restarts).
import { createHash } from 'node:crypto';

function hash(s: string, len: number): string {
  return createHash('sha256').update(s).digest('hex').slice(0, len);
}

/** The node's pod bridge: `k8ts-<node>` when that fits in 15 chars, else `k8ts-<hash10>`. */
export function bridgeNameForNode(nodeName: string): string {
  const plain = `k8ts-${nodeName}`;
  if (plain.length <= 15 && /^[a-zA-Z0-9_.-]+$/.test(nodeName)) return plain;
  return `k8ts-${hash(nodeName, 10)}`;
}

/** Named network namespace of a sandbox (`ip netns` name, /run/netns/<name>). */
export function netnsName(scope: string, sandboxId: string): string {
  return `k8ts-${hash(`${scope}/${sandboxId}`, 16)}`;
}

/** Host end of a sandbox's veth pair (≤ 15 chars). */
export function hostVethName(netns: string): string {
  return `k8v${hash(netns, 11)}`;
}
