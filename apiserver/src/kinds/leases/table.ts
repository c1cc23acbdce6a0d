// `kubectl get leases`: NAME HOLDER AGE.
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

export const leaseTable: TableDef = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
  cells: (lease, now) => [lease.metadata.name, String(asRecord(lease.spec).holderIdentity ?? ''), ageSince(lease.metadata.creationTimestamp, now)],
};
