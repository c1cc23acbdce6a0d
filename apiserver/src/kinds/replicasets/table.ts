// `kubectl get replicasets`: NAME DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR).
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { formatLabelSelector } from '../common/label-selector.js';
import { replicaTable } from '../common/replica-table.js';

export const replicaSetTable: TableDef = replicaTable((obj) => formatLabelSelector(asRecord(obj.spec).selector));
