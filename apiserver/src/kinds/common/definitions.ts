// The shared, named schema definitions of the built-in kinds (upstream names such as
// `io.k8s.api.core.v1.Container`), referenced from the kinds' schemas with `$ref`.
// The server registers them (createSchemaRegistry) for validation, patching and OpenAPI.
//
// Contract: schema modules call define() at import time; kinds/index.ts imports every kind,
// so importing it fills `schemaDefinitions`. Names of the meta group (ObjectMeta, Time,
// LabelSelector, IntOrString, Quantity...) are the openapi module's built-ins and are only
// referenced here, never defined.
import type { JSONSchema } from '../../registry/types.js';

export const schemaDefinitions: Record<string, JSONSchema> = {};

const PREFIX = '#/components/schemas/';

export const core = (name: string): string => `io.k8s.api.core.v1.${name}`;
export const apps = (name: string): string => `io.k8s.api.apps.v1.${name}`;
export const coordination = (name: string): string => `io.k8s.api.coordination.v1.${name}`;
export const meta = (name: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;

export const OBJECT_META = meta('ObjectMeta');
export const TIME = meta('Time');
export const MICRO_TIME = meta('MicroTime');
export const LABEL_SELECTOR = meta('LabelSelector');
export const META_CONDITION = meta('Condition');
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** `{ $ref }` to a definition; `description` (a sibling of $ref) describes this use of it. */
export function ref(name: string, description?: string): JSONSchema {
  return description ? { $ref: PREFIX + name, description } : { $ref: PREFIX + name };
}

/** Registers `schema` under `name` and returns a reference to it. */
export function define(name: string, schema: JSONSchema): JSONSchema {
  const existing = schemaDefinitions[name];
  if (existing && existing !== schema) throw new Error(`schema definition ${name} defined twice`);
  schemaDefinitions[name] = schema;
  return ref(name);
}
