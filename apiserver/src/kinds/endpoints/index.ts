// core/v1 endpoints.
import type { ResourceDef } from '../../registry/types.js';
import { endpointsSchema } from './schema.js';
import { endpointsStrategy } from './strategy.js';
import { endpointsTable } from './table.js';

export const endpoints: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  strategy: endpointsStrategy,
  schema: endpointsSchema,
  table: endpointsTable,
};
