// core/v1 nodes (cluster-scoped).
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { nodeSchema } from './schema.js';
import { nodeStatusStrategy, nodeStrategy } from './strategy.js';
import { nodeTable } from './table.js';

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  strategy: nodeStrategy,
  statusStrategy: nodeStatusStrategy,
  schema: nodeSchema,
  table: nodeTable,
  fieldSelectors: {
    'spec.unschedulable': (node) => String(asRecord(node.spec).unschedulable === true),
  },
};
