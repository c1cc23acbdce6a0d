// apps/v1 deployments.
import type { ResourceDef } from '../../registry/types.js';
import { labelSelectorScale } from '../common/scale.js';
import { deploymentSchema } from './schema.js';
import { deploymentStatusStrategy, deploymentStrategy } from './strategy.js';
import { deploymentTable } from './table.js';

export const deployments: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  strategy: deploymentStrategy,
  statusStrategy: deploymentStatusStrategy,
  scale: labelSelectorScale,
  schema: deploymentSchema,
  table: deploymentTable,
};
