// Names used in decoder-style messages: the JSON type of a value as Go's encoding/json
// calls it ("string", "number", "bool", "array", "object"), as OpenAPI validation calls it
// ("string", "integer", "number", "boolean", "array", "object"), and the Go type a schema
// stands for ("int32", "[]v1.Container", "map[string]string").
import type { JSONSchema } from '../registry/types.js';
import { resolveWithName, type ResolveRef } from './schema-resolve.js';

export function goJsonTypeOf(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return 'object';
}

export function openApiTypeOf(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return 'object';
}

export function isIntOrString(schema: JSONSchema): boolean {
  return schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string';
}

export function isQuantity(schema: JSONSchema): boolean {
  return schema.format === 'quantity';
}

/** The JSON type a schema describes, inferring `object`/`array` from its keywords. */
export function schemaType(schema: JSONSchema): JSONSchema['type'] {
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties !== undefined) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** The Go type a schema stands for, e.g. `int32`, `[]v1.Container`, `map[string]string`. */
export function goTypeOf(raw: JSONSchema | undefined, resolveRef: ResolveRef, depth = 0): string {
  const { schema, name } = resolveWithName(raw, resolveRef);
  if (!schema || depth > 8) return 'interface {}';
  if (isQuantity(schema)) return 'resource.Quantity';
  if (isIntOrString(schema)) return 'intstr.IntOrString';
  switch (schemaType(schema)) {
    case 'integer': return schema.format === 'int32' ? 'int32' : 'int64';
    case 'number': return 'float64';
    case 'string': return name === 'Time' || name === 'MicroTime' ? `v1.${name}` : 'string';
    case 'boolean': return 'bool';
    case 'array': return `[]${goTypeOf(schema.items, resolveRef, depth + 1)}`;
    case 'object':
      if (name) return `v1.${name}`;
      if (typeof schema.additionalProperties === 'object') return `map[string]${goTypeOf(schema.additionalProperties, resolveRef, depth + 1)}`;
      return 'map[string]interface {}';
    default: return 'interface {}';
  }
}
