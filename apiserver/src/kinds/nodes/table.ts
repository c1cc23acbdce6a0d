// `kubectl get nodes`: NAME STATUS ROLES AGE VERSION
// (+ INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME).
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asArray, asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** `Ready`, `NotReady`, `Unknown` (no Ready condition), plus `,SchedulingDisabled`. */
export function nodeStatusText(node: KubeObject): string {
  const ready = asArray(asRecord(node.status).conditions).map(asRecord).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (asRecord(node.spec).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Sorted roles from node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels. */
export function nodeRoles(node: KubeObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(asRecord(node.metadata.labels))) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== '') roles.add(String(v));
  }
  return [...roles].sort();
}

function address(node: KubeObject, type: string): string {
  const a = asArray(asRecord(node.status).addresses).map(asRecord).find((x) => x.type === type);
  return a ? String(a.address) : '<none>';
}

const orUnknown = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '<unknown>');

export const nodeTable: TableDef = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  cells(node, now) {
    const info = asRecord(asRecord(node.status).nodeInfo);
    const roles = nodeRoles(node).join(',');
    return [
      node.metadata.name,
      nodeStatusText(node),
      roles === '' ? '<none>' : roles,
      ageSince(node.metadata.creationTimestamp, now),
      String(info.kubeletVersion ?? ''),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      orUnknown(info.osImage),
      orUnknown(info.kernelVersion),
      orUnknown(info.containerRuntimeVersion),
    ];
  },
};
