// core/v1 configmaps.
import type { ResourceDef } from '../../registry/types.js';
import { configMapSchema } from './schema.js';
import { configMapStrategy } from './strategy.js';
import { configMapTable } from './table.js';

export const configmaps: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  strategy: configMapStrategy,
  schema: configMapSchema,
  table: configMapTable,
};
