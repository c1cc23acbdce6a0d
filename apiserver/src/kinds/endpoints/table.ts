// `kubectl get endpoints`: NAME ENDPOINTS AGE, ENDPOINTS like
// `10.244.1.2:80,10.244.2.3:80 + 1 more...` (at most three shown) or `<none>`.
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asArray, asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

const MAX_SHOWN = 3;

const hostPort = (ip: string, port: unknown): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

export function formatEndpoints(ep: KubeObject): string {
  const subsets = asArray(ep.subsets).map(asRecord);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string): void => {
    if (list.length === MAX_SHOWN) more = true;
    else list.push(text);
  };
  for (const s of subsets) {
    const addresses = asArray(s.addresses).map((a) => String(asRecord(a).ip ?? ''));
    const ports = asArray(s.ports).map(asRecord);
    if (ports.length === 0) {
      count += addresses.length;
      for (const ip of addresses) add(ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const ip of addresses) add(hostPort(ip, p.port));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX_SHOWN} more...` : text;
}

export const endpointsTable: TableDef = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE_COLUMN],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), ageSince(ep.metadata.creationTimestamp, now)],
};
