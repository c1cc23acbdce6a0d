// core/v1 Namespace.
import type { JSONSchema } from '../../registry/types.js';
import { conditionListSchema } from '../common/condition-schema.js';
import { core, define } from '../common/definitions.js';
import { kindSchema, obj, str, stringList } from '../common/schema-builders.js';

const namespaceSpecSchema = define(core('NamespaceSpec'), obj({
  finalizers: stringList('Finalizers is an opaque list of values that must be empty to permanently remove object from storage.'),
}, { description: 'NamespaceSpec describes the attributes on a Namespace.' }));

const namespaceStatusSchema = define(core('NamespaceStatus'), obj({
  phase: str('Phase is the current lifecycle phase of the namespace: Active or Terminating.'),
  conditions: conditionListSchema(core('NamespaceCondition'), ['lastTransitionTime'], "Represents the latest available observations of a namespace's current state."),
}, { description: 'NamespaceStatus is information about the current status of a Namespace.' }));

export const namespaceSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Namespace' },
  { spec: namespaceSpecSchema, status: namespaceStatusSchema },
  'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
);
