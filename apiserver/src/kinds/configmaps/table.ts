// `kubectl get configmaps`: NAME DATA AGE.
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../common/table-helpers.js';

export const configMapTable: TableDef = {
  columns: [NAME_COLUMN, column('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
  cells: (cm, now) => [
    cm.metadata.name,
    Object.keys(asRecord(cm.data)).length + Object.keys(asRecord(cm.binaryData)).length,
    ageSince(cm.metadata.creationTimestamp, now),
  ],
};
