// Kubernetes strategic merge patch (application/strategic-merge-patch+json), driven by the
// kind's JSONSchema (x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key).
// Contract:
// - Maps merge recursively; `null` removes a key. A field whose strategy is `replace` is replaced.
// - A list with strategy `merge` and a merge key K: patch items merge into the live item
//   with the same K, new ones are appended. A `merge` list of primitives is a set union
//   (live order kept, new values appended). Any other list is replaced by the patch's.
// - Directives in a map: `$patch: replace` (the map becomes the patch), `$patch: delete`
//   (the map becomes {} — upstream behaviour), `$patch: merge` (the default),
//   `$retainKeys: [..]` (drop live keys not listed; every non-null patch key must be listed),
//   `$deleteFromPrimitiveList/<f>: [..]` (remove these values from list f),
//   `$setElementOrder/<f>: [..]` (see element-order.ts; only for merge lists, ignored elsewhere).
// - Directives as items of a merge list: `{"$patch":"replace"}` (the list becomes the other
//   patch items), `{"K":v,"$patch":"delete"}` (remove the items with K = v; done before merging).
// - Patch values land in the result with their nulls dropped and their directives applied
//   (as if merged into nothing), so no directive or null ever reaches the stored object.
// - 400 BadRequest for: a patch that is not an object, an unknown `$…` key (unless the schema
//   declares such a property), a bad directive value, a merge-list item that is not a map or
//   lacks the merge key, a patch inconsistent with its $retainKeys or $setElementOrder.
// - Undescribed fields (no schema, or x-kubernetes-preserve-unknown-fields) are plain maps and
//   atomic lists. Inputs are never mutated; the result shares no objects with them.
import type { JSONSchema } from '../registry/types.js';
import { applyElementOrder, checkPatchMatchesOrder, orderKeys } from './element-order.js';
import { cloneJson, deleteOwn, getOwn, hasOwn, isJsonObject, jsonEqual, setOwn, type JsonObject } from './json-value.js';
import { malformedPatch } from './patch-errors.js';
import { declaresProperty, fieldSchema, itemSchema, listMergeInfo, patchStrategies, resolveSchema, type RefResolver } from './patch-schema.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_LIST = '$deleteFromPrimitiveList/';

type PatchDirective = 'replace' | 'delete' | 'merge';

const noRefs: RefResolver = () => undefined;

export function strategicMergePatch(original: unknown, patch: unknown, schema?: JSONSchema, resolveRef: RefResolver = noRefs): JsonObject {
  if (!isJsonObject(patch)) throw malformedPatch('strategic merge patch must be a JSON object');
  const ctx: Ctx = { resolveRef };
  return mergeMap(isJsonObject(original) ? cloneJson(original) : undefined, patch, resolveSchema(schema, resolveRef), ctx, '');
}

interface Ctx { resolveRef: RefResolver }

/** The directives and plain fields found in one patch map. */
interface MapPatch {
  directive: PatchDirective;
  retainKeys?: string[];
  setOrder: Map<string, unknown[]>;
  deleteFromList: Map<string, unknown[]>;
  fields: string[];
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function directiveValue(value: unknown, where: string): PatchDirective {
  if (value === 'replace' || value === 'delete' || value === 'merge') return value;
  throw malformedPatch(`${where}: unknown patch directive "$patch": ${JSON.stringify(value)}`);
}

function readMapPatch(patch: JsonObject, schema: JSONSchema | undefined, path: string): MapPatch {
  const out: MapPatch = { directive: 'merge', setOrder: new Map(), deleteFromList: new Map(), fields: [] };
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (!key.startsWith('$') || declaresProperty(schema, key)) {
      out.fields.push(key);
    } else if (key === PATCH) {
      out.directive = directiveValue(value, path || '<root>');
    } else if (key === RETAIN_KEYS) {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw malformedPatch(`${child(path, key)}: must be a list of field names`);
      }
      out.retainKeys = value as string[];
    } else if (key.startsWith(SET_ORDER) && key.length > SET_ORDER.length) {
      if (!Array.isArray(value)) throw malformedPatch(`${child(path, key)}: must be a list`);
      out.setOrder.set(key.slice(SET_ORDER.length), value);
    } else if (key.startsWith(DELETE_FROM_LIST) && key.length > DELETE_FROM_LIST.length) {
      if (!Array.isArray(value)) throw malformedPatch(`${child(path, key)}: must be a list`);
      out.deleteFromList.set(key.slice(DELETE_FROM_LIST.length), value);
    } else {
      throw malformedPatch(`${child(path, key)}: unknown strategic merge patch directive "${key}"`);
    }
  }
  return out;
}

/** Merges `patch` into `original` (owned by the caller; undefined = nothing there yet). */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: JSONSchema | undefined, ctx: Ctx, path: string): JsonObject {
  const p = readMapPatch(patch, schema, path);
  if (p.directive === 'delete') return {};
  const result: JsonObject = p.directive === 'replace' || !original ? {} : original;

  if (p.retainKeys) {
    const keep = new Set(p.retainKeys);
    for (const f of p.fields) {
      if (patch[f] !== null && !keep.has(f)) throw malformedPatch(`${child(path, f)}: field is set by the patch but not listed in $retainKeys`);
    }
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }

  for (const [f, values] of p.deleteFromList) {
    const live = getOwn(result, f);
    if (Array.isArray(live)) setOwn(result, f, live.filter((item) => !values.some((v) => jsonEqual(item, v))));
  }

  for (const f of p.fields) {
    const value = patch[f];
    const where = child(path, f);
    if (value === null) { deleteOwn(result, f); continue; }
    const fs = fieldSchema(schema, f, ctx.resolveRef);
    const live = getOwn(result, f);
    if (isJsonObject(value)) {
      const base = isJsonObject(live) && !patchStrategies(fs).has('replace') ? live : undefined;
      setOwn(result, f, mergeMap(base, value, fs, ctx, where));
    } else if (Array.isArray(value)) {
      setOwn(result, f, mergeList(Array.isArray(live) ? live : undefined, value, fs, ctx, where, p.setOrder.get(f)));
    } else {
      setOwn(result, f, value);
    }
  }

  // An order without a patch list for the field only reorders the live list.
  for (const [f, order] of p.setOrder) {
    if (hasOwn(patch, f)) continue;
    const live = getOwn(result, f);
    if (!Array.isArray(live)) continue;
    const info = listMergeInfo(fieldSchema(schema, f, ctx.resolveRef));
    if (!info.merge) continue;
    setOwn(result, f, applyElementOrder(live, orderKeys(order, info.mergeKey, child(path, f)), live, info.mergeKey));
  }
  return result;
}

/** A value from the patch as it lands where nothing was before. */
function materialize(value: unknown, schema: JSONSchema | undefined, ctx: Ctx, path: string): unknown {
  if (isJsonObject(value)) return mergeMap(undefined, value, schema, ctx, path);
  if (Array.isArray(value)) return mergeList(undefined, value, schema, ctx, path, undefined);
  return value;
}

function itemDirective(item: unknown, where: string): PatchDirective | undefined {
  return isJsonObject(item) && hasOwn(item, PATCH) ? directiveValue(item[PATCH], where) : undefined;
}

/** Merges list `patch` into `original` (owned by the caller; undefined = no list yet). */
function mergeList(
  original: unknown[] | undefined, patch: unknown[], schema: JSONSchema | undefined, ctx: Ctx, path: string,
  order: unknown[] | undefined,
): unknown[] {
  const items = itemSchema(schema, ctx.resolveRef);
  const at = (i: number) => `${path}[${i}]`;
  const info = listMergeInfo(schema);
  if (!info.merge) return patch.map((item, i) => materialize(item, items, ctx, at(i)));
  const key = info.mergeKey;

  const deletes: JsonObject[] = [];
  const plain: unknown[] = [];
  let replace = false;
  patch.forEach((item, i) => {
    const d = itemDirective(item, at(i));
    if (d === 'replace') { replace = true; return; }
    if (d === 'delete') {
      if (key === undefined || !hasOwn(item as JsonObject, key)) {
        throw malformedPatch(`${at(i)}: "$patch": "delete" needs the merge key${key ? ` "${key}"` : ', and this list has none'}`);
      }
      deletes.push(item as JsonObject);
      return;
    }
    plain.push(item);
  });
  // A merge list of maps without a merge key cannot be merged item by item: it is replaced.
  if (key === undefined && plain.some(isJsonObject)) return plain.map((item, i) => materialize(item, items, ctx, at(i)));

  const live = replace || !original ? [] : original;
  const before = [...live];
  let merged: unknown[];
  if (key !== undefined) {
    merged = live.filter((it) => !deletes.some((d) => isJsonObject(it) && hasOwn(it, key) && jsonEqual(it[key], d[key])));
    for (const item of plain) {
      if (!isJsonObject(item)) throw malformedPatch(`${path}: items must be maps merged by "${key}", got ${JSON.stringify(item)}`);
      if (!hasOwn(item, key) || item[key] === null) {
        throw malformedPatch(`${path}: item ${JSON.stringify(item)} does not contain the merge key "${key}"`);
      }
      const where = `${path}[${key}=${JSON.stringify(item[key])}]`;
      const idx = merged.findIndex((it) => isJsonObject(it) && hasOwn(it, key) && jsonEqual(it[key], item[key]));
      if (idx >= 0) merged[idx] = mergeMap(merged[idx] as JsonObject, item, items, ctx, where);
      else merged.push(mergeMap(undefined, item, items, ctx, where));
    }
  } else {
    merged = [...live];
    for (const item of plain) {
      if (typeof item === 'object' && item !== null) throw malformedPatch(`${path}: expected a list of primitive values, got ${JSON.stringify(item)}`);
      if (!merged.some((v) => jsonEqual(v, item))) merged.push(item);
    }
  }

  if (!order) return merged;
  const keys = orderKeys(order, key, `${path} ($setElementOrder)`);
  checkPatchMatchesOrder(plain, keys, key, path);
  return applyElementOrder(merged, keys, before, key);
}
