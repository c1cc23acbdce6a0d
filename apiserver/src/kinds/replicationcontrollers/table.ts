// `kubectl get replicationcontrollers`: NAME DESIRED CURRENT READY AGE
// (+ CONTAINERS IMAGES SELECTOR, the map selector as `k=v,...` or `<none>`).
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { formatLabels } from '../common/label-selector.js';
import { replicaTable } from '../common/replica-table.js';

export const replicationControllerTable: TableDef = replicaTable((obj) => formatLabels(asRecord(obj.spec).selector));
