// core/v1 resourcequotas.
import type { ResourceDef } from '../../registry/types.js';
import { resourceQuotaSchema } from './schema.js';
import { resourceQuotaStatusStrategy, resourceQuotaStrategy } from './strategy.js';
import { resourceQuotaTable } from './table.js';

export const resourcequotas: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  listKind: 'ResourceQuotaList',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  strategy: resourceQuotaStrategy,
  statusStrategy: resourceQuotaStatusStrategy,
  schema: resourceQuotaSchema,
  table: resourceQuotaTable,
};
