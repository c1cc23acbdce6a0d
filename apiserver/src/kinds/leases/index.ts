// coordination.k8s.io/v1 leases (node heartbeats, leader election).
import type { ResourceDef } from '../../registry/types.js';
import { leaseSchema } from './schema.js';
import { leaseStrategy } from './strategy.js';
import { leaseTable } from './table.js';

export const leases: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  strategy: leaseStrategy,
  schema: leaseSchema,
  table: leaseTable,
};
