// `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+ SELECTOR).
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asArray, asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { formatLabels } from '../common/label-selector.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

const LOAD_BALANCER_WIDTH = 16;

/** Ingress IPs (or hostnames), sorted and de-duplicated; clipped to 16 chars unless wide. */
function loadBalancerText(svc: KubeObject, wide: boolean): string {
  const values = new Set<string>();
  for (const raw of asArray(asRecord(asRecord(svc.status).loadBalancer).ingress)) {
    const ing = asRecord(raw);
    if (ing.ip) values.add(String(ing.ip));
    else if (ing.hostname) values.add(String(ing.hostname));
  }
  const text = [...values].sort().join(',');
  return !wide && text.length > LOAD_BALANCER_WIDTH ? `${text.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : text;
}

/** The EXTERNAL-IP cell. The server renders a single table for both outputs, as non-wide. */
export function externalIP(svc: KubeObject, wide = false): string {
  const spec = asRecord(svc.spec);
  const externalIPs = asArray<string>(spec.externalIPs);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerText(svc, wide);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return String(spec.externalName ?? '');
    default:
      return '<unknown>';
  }
}

/** `80/TCP`, `80:32600/TCP`, comma-joined. */
export function portsText(svc: KubeObject): string {
  return asArray(asRecord(svc.spec).ports).map((raw) => {
    const p = asRecord(raw);
    return typeof p.nodePort === 'number' && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`;
  }).join(',');
}

export const serviceTable: TableDef = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(svc, now) {
    const spec = asRecord(svc.spec);
    const ips = asArray<string>(spec.clusterIPs);
    return [
      svc.metadata.name,
      String(spec.type ?? ''),
      ips.length ? ips[0] : '<none>',
      externalIP(svc),
      portsText(svc) || '<none>',
      ageSince(svc.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
