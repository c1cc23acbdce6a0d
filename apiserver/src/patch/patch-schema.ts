// What the strategic merge patch needs to know from a JSONSchema: the schema of a map's
// field or a list's items (following $ref), and a list's merge strategy and merge key.
// Contract: a missing schema (undefined) means "not described": maps are then plain maps
// and lists atomic. Extensions written next to a $ref (e.g. x-kubernetes-patch-strategy:
// retainKeys on a field whose type is a $ref) take precedence over the referenced schema.
import type { JSONSchema } from '../registry/types.js';

/** Resolves a `$ref` string to its schema; undefined when unknown. */
export type RefResolver = (ref: string) => JSONSchema | undefined;

const MAX_REF_DEPTH = 32;

/** `schema` with its $ref chain resolved; undefined when there is nothing to describe. */
export function resolveSchema(schema: JSONSchema | undefined, resolveRef: RefResolver): JSONSchema | undefined {
  let cur = schema;
  for (let depth = 0; cur?.$ref !== undefined && depth < MAX_REF_DEPTH; depth++) {
    const { $ref, ...local } = cur;
    const target = resolveRef($ref);
    cur = target ? { ...target, ...local } : local;
  }
  return cur;
}

/** The schema of field `key` of an object described by `schema` (properties, then additionalProperties). */
export function fieldSchema(schema: JSONSchema | undefined, key: string, resolveRef: RefResolver): JSONSchema | undefined {
  if (!schema) return undefined;
  const declared = schema.properties && Object.prototype.hasOwnProperty.call(schema.properties, key)
    ? schema.properties[key]
    : undefined;
  if (declared) return resolveSchema(declared, resolveRef);
  return typeof schema.additionalProperties === 'object' ? resolveSchema(schema.additionalProperties, resolveRef) : undefined;
}

/** True when `schema` names `key` among its properties (so a "$name" key is data, not a directive). */
export function declaresProperty(schema: JSONSchema | undefined, key: string): boolean {
  return !!schema?.properties && Object.prototype.hasOwnProperty.call(schema.properties, key);
}

export function itemSchema(schema: JSONSchema | undefined, resolveRef: RefResolver): JSONSchema | undefined {
  return schema?.items ? resolveSchema(schema.items, resolveRef) : undefined;
}

/** The comma-separated values of x-kubernetes-patch-strategy, e.g. {merge, retainKeys}. */
export function patchStrategies(schema: JSONSchema | undefined): Set<string> {
  const raw = schema?.['x-kubernetes-patch-strategy'] ?? '';
  return new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''));
}

export interface ListMergeInfo {
  /** x-kubernetes-patch-strategy contains `merge`: items merge instead of the list being replaced. */
  merge: boolean;
  /** x-kubernetes-patch-merge-key: the field identifying an item in a list of maps. */
  mergeKey?: string;
}

export function listMergeInfo(schema: JSONSchema | undefined): ListMergeInfo {
  const merge = patchStrategies(schema).has('merge');
  const mergeKey = schema?.['x-kubernetes-patch-merge-key'];
  return mergeKey ? { merge, mergeKey } : { merge };
}
