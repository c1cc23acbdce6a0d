// core/v1 services.
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { serviceSchema } from './schema.js';
import { serviceStatusStrategy, serviceStrategy } from './strategy.js';
import { serviceTable } from './table.js';

export const services: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  strategy: serviceStrategy,
  statusStrategy: serviceStatusStrategy,
  schema: serviceSchema,
  table: serviceTable,
  fieldSelectors: {
    'spec.clusterIP': (svc) => String(asRecord(svc.spec).clusterIP ?? ''),
    'spec.type': (svc) => String(asRecord(svc.spec).type ?? ''),
  },
};
