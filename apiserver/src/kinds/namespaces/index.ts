// core/v1 namespaces (cluster-scoped). The /finalize subresource is served by the HTTP layer.
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { namespaceSchema } from './schema.js';
import { namespaceStatusStrategy, namespaceStrategy } from './strategy.js';
import { namespaceTable } from './table.js';

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  strategy: namespaceStrategy,
  statusStrategy: namespaceStatusStrategy,
  schema: namespaceSchema,
  table: namespaceTable,
  fieldSelectors: {
    'status.phase': (ns) => String(asRecord(ns.status).phase ?? ''),
  },
};
