// apps/v1 replicasets.
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { labelSelectorScale } from '../common/scale.js';
import { replicaSetSchema } from './schema.js';
import { replicaSetStatusStrategy, replicaSetStrategy } from './strategy.js';
import { replicaSetTable } from './table.js';

export const replicasets: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  strategy: replicaSetStrategy,
  statusStrategy: replicaSetStatusStrategy,
  scale: labelSelectorScale,
  schema: replicaSetSchema,
  table: replicaSetTable,
  fieldSelectors: {
    'status.replicas': (obj) => String(asRecord(obj.status).replicas ?? 0),
  },
};
