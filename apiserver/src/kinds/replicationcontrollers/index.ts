// core/v1 replicationcontrollers.
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { mapSelectorScale } from '../common/scale.js';
import { replicationControllerSchema } from './schema.js';
import { replicationControllerStatusStrategy, replicationControllerStrategy } from './strategy.js';
import { replicationControllerTable } from './table.js';

export const replicationcontrollers: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  listKind: 'ReplicationControllerList',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  strategy: replicationControllerStrategy,
  statusStrategy: replicationControllerStatusStrategy,
  scale: mapSelectorScale,
  schema: replicationControllerSchema,
  table: replicationControllerTable,
  fieldSelectors: {
    'status.replicas': (obj) => String(asRecord(obj.status).replicas ?? 0),
  },
};
