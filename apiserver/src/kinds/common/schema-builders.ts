// Small constructors for the JSONSchemas of built-in kinds, so that schema files read like
// the upstream Go types they mirror. Every helper returns a fresh object (callers may add
// keys). Named structs are registered with define() (definitions.ts) and used by $ref.
//
// Conventions (upstream OpenAPI v3):
// - int32 / int64 integers carry `format`; times, int-or-strings and quantities refer to
//   the meta built-ins (Time: date-time string; IntOrString; Quantity: string or number).
// - lists default to `x-kubernetes-list-type: atomic`; lists merged by key use mergeList().
import type { JSONSchema } from '../../registry/types.js';
import { INT_OR_STRING, MICRO_TIME, OBJECT_META, QUANTITY, ref, TIME } from './definitions.js';

type Props = Record<string, JSONSchema>;

const withDescription = (schema: JSONSchema, description?: string): JSONSchema =>
  description ? { ...schema, description } : schema;

export const str = (description?: string): JSONSchema => withDescription({ type: 'string' }, description);

/**
 * A string restricted to `values`. Kinds avoid it where their strategy already validates the
 * value (the schema validator would report the same problem twice).
 */
export const enumStr = (values: string[], description?: string): JSONSchema =>
  withDescription({ type: 'string', enum: [...values] }, description);

export const int32 = (description?: string): JSONSchema => withDescription({ type: 'integer', format: 'int32' }, description);

export const int64 = (description?: string): JSONSchema => withDescription({ type: 'integer', format: 'int64' }, description);

export const bool = (description?: string): JSONSchema => withDescription({ type: 'boolean' }, description);

export const num = (description?: string): JSONSchema => withDescription({ type: 'number', format: 'double' }, description);

/** metav1.Time (RFC 3339). */
export const time = (description?: string): JSONSchema => ref(TIME, description);

/** metav1.MicroTime (RFC 3339 with microseconds). */
export const microTime = (description?: string): JSONSchema => ref(MICRO_TIME, description);

/** base64-encoded bytes ([]byte in Go). */
export const bytes = (description?: string): JSONSchema => withDescription({ type: 'string', format: 'byte' }, description);

export const intOrString = (description?: string): JSONSchema => ref(INT_OR_STRING, description);

/** resource.Quantity: "100m", "1Gi", or a JSON number. */
export const quantity = (description?: string): JSONSchema => ref(QUANTITY, description);

/** map[ResourceName]Quantity (limits, requests, capacity, hard...). */
export const quantityMap = (description?: string): JSONSchema =>
  withDescription({ type: 'object', additionalProperties: quantity() }, description);

export const stringMap = (description?: string): JSONSchema =>
  withDescription({ type: 'object', additionalProperties: { type: 'string' } }, description);

/** A struct with known fields; unknown fields are rejected by strict field validation. */
export function obj(properties: Props, opts: { description?: string; required?: string[] } = {}): JSONSchema {
  const schema: JSONSchema = { type: 'object', properties };
  if (opts.required?.length) schema.required = [...opts.required];
  return withDescription(schema, opts.description);
}

/** An object that is not described exhaustively: fields below are accepted and kept. */
export function openObj(description?: string, properties?: Props): JSONSchema {
  const schema: JSONSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (properties) schema.properties = properties;
  return withDescription(schema, description);
}

/** A list replaced as a whole by strategic merge patch. */
export const atomicList = (items: JSONSchema, description?: string): JSONSchema =>
  withDescription({ type: 'array', items, 'x-kubernetes-list-type': 'atomic' }, description);

export const stringList = (description?: string): JSONSchema => atomicList(str(), description);

/**
 * A list of objects merged item by item on `key` (patchMergeKey + patchStrategy).
 * `mapKeys` are the list-map keys (defaults to [key]); `strategy` e.g. 'merge,retainKeys'.
 */
export function mergeList(items: JSONSchema, key: string, opts: { description?: string; strategy?: string; mapKeys?: string[] } = {}): JSONSchema {
  return withDescription({
    type: 'array',
    items,
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-patch-strategy': opts.strategy ?? 'merge',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': opts.mapKeys ?? [key],
  }, opts.description);
}

/** A list of scalars merged as a set (finalizers, podCIDRs). */
export const mergeSet = (items: JSONSchema, description?: string): JSONSchema =>
  withDescription({ type: 'array', items, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' }, description);

/** ObjectMeta (the meta built-in). */
export const objectMeta = (description?: string): JSONSchema => ref(OBJECT_META, description ?? 'Standard object\'s metadata.');

/** The schema of a whole object: apiVersion, kind, metadata and the kind's own fields. */
export function kindSchema(
  gvk: { group: string; version: string; kind: string },
  fields: Props,
  description: string,
): JSONSchema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'),
      kind: str('Kind is a string value representing the REST resource this object represents.'),
      metadata: objectMeta(),
      ...fields,
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, version: gvk.version, kind: gvk.kind }],
  };
}
