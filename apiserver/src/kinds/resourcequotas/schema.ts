// core/v1 ResourceQuota.
import type { JSONSchema } from '../../registry/types.js';
import { core, define } from '../common/definitions.js';
import { atomicList, kindSchema, obj, quantityMap, str, stringList } from '../common/schema-builders.js';

const resourceQuotaSpecSchema = define(core('ResourceQuotaSpec'), obj({
  hard: quantityMap('hard is the set of desired hard limits for each named resource.'),
  scopes: stringList('A collection of filters that must match each object tracked by a quota.'),
  scopeSelector: define(core('ScopeSelector'), obj({
    matchExpressions: atomicList(define(core('ScopedResourceSelectorRequirement'), obj({
      scopeName: str('The name of the scope that the selector applies to.'),
      operator: str("Represents a scope's relationship to a set of values: In, NotIn, Exists, DoesNotExist."),
      values: stringList('An array of string values.'),
    }, { required: ['scopeName', 'operator'] })), 'A list of scope selector requirements by scope of the resources.'),
  }, { description: 'scopeSelector is also a collection of filters like scopes that must match each object tracked by a quota.' })),
}, { description: 'ResourceQuotaSpec defines the desired hard limits to enforce for Quota.' }));

const resourceQuotaStatusSchema = define(core('ResourceQuotaStatus'), obj({
  hard: quantityMap('Hard is the set of enforced hard limits for each named resource.'),
  used: quantityMap('Used is the current observed total usage of the resource in the namespace.'),
}, { description: 'ResourceQuotaStatus defines the enforced hard limits and observed use.' }));

export const resourceQuotaSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'ResourceQuota' },
  { spec: resourceQuotaSpecSchema, status: resourceQuotaStatusSchema },
  'ResourceQuota sets aggregate quota restrictions enforced per namespace',
);
