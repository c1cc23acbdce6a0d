// `kubectl get resourcequotas`: NAME AGE REQUEST LIMIT (the order up to v1.32; v1.33 moved
// AGE last), REQUEST like `pods: 1/10, requests.cpu: 500m/4` and LIMIT the `limits.*`
// resources, both from status (empty until the quota controller has computed usage).
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

export function quotaColumns(quota: KubeObject): { request: string; limit: string } {
  const status = asRecord(quota.status);
  const hard = asRecord(status.hard);
  const used = asRecord(status.used);
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${String(used[name] ?? '0')}/${String(hard[name] ?? '0')}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(text);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export const resourceQuotaTable: TableDef = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells(quota, now) {
    const { request, limit } = quotaColumns(quota);
    return [quota.metadata.name, ageSince(quota.metadata.creationTimestamp, now), request, limit];
  },
};
