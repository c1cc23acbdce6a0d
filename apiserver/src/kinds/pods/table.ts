// `kubectl get pods` columns: NAME READY STATUS RESTARTS AGE, and with -o wide
// IP NODE NOMINATED NODE READINESS GATES.
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asArray, asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';
import { podStatusCells } from './status-column.js';

function readinessGates(pod: KubeObject): string {
  const gates = asArray(asRecord(pod.spec).readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = asArray(asRecord(pod.status).conditions).map(asRecord);
  const trueCount = gates.filter((g) => {
    const c = conditions.find((cond) => cond.type === asRecord(g).conditionType);
    return c?.status === 'True';
  }).length;
  return `${trueCount}/${gates.length}`;
}

function podIP(pod: KubeObject): string {
  const status = asRecord(pod.status);
  const ips = asArray(status.podIPs);
  const ip = ips.length > 0 ? asRecord(ips[0]).ip : status.podIP;
  return typeof ip === 'string' && ip !== '' ? ip : '<none>';
}

export const podTable: TableDef = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE_COLUMN,
    column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(pod, now) {
    const { ready, status, restarts } = podStatusCells(pod, now);
    const spec = asRecord(pod.spec);
    const nominated = asRecord(pod.status).nominatedNodeName;
    return [
      pod.metadata.name,
      ready,
      status,
      restarts,
      ageSince(pod.metadata.creationTimestamp, now),
      podIP(pod),
      typeof spec.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : '<none>',
      typeof nominated === 'string' && nominated !== '' ? nominated : '<none>',
      readinessGates(pod),
    ];
  },
};
