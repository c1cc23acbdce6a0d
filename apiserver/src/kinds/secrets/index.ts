// core/v1 secrets.
import type { ResourceDef } from '../../registry/types.js';
import { secretSchema } from './schema.js';
import { secretStrategy } from './strategy.js';
import { secretTable } from './table.js';

export const secrets: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  strategy: secretStrategy,
  schema: secretSchema,
  table: secretTable,
  fieldSelectors: {
    type: (secret) => String(secret.type ?? ''),
  },
};
