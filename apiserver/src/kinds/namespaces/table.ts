// `kubectl get namespaces`: NAME STATUS AGE.
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

export const namespaceTable: TableDef = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  cells: (ns, now) => [ns.metadata.name, String(asRecord(ns.status).phase ?? ''), ageSince(ns.metadata.creationTimestamp, now)],
};
