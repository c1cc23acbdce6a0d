// `kubectl get secrets`: NAME TYPE DATA AGE.
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

export const secretTable: TableDef = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  cells: (secret, now) => [
    secret.metadata.name,
    String(secret.type ?? ''),
    Object.keys(asRecord(secret.data)).length,
    ageSince(secret.metadata.creationTimestamp, now),
  ],
};
