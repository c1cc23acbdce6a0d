// RFC 6902 JSON Patch (application/json-patch+json): add, remove, replace, move, copy, test.
// Contract:
// - `parseJsonPatch` checks the document's shape; anything malformed (not an array, an
//   operation that is not an object, unknown `op`, bad pointer, missing `value`/`from`) is
//   a 400 BadRequest. More than MAX_JSON_PATCH_OPERATIONS operations is a 413.
// - `applyJsonPatch` applies the operations in order to a copy of the document; a path that
//   does not exist (where it must), an array index out of range, a failed `test` or a move
//   into its own child is a 422 Invalid, and nothing is applied.
// - Inputs are never mutated; the result shares no objects with the original or the patch.
// - Array indices follow the RFC: non-negative decimal, `-` (append) only for `add`.
import { Errors } from '@k8ts/shared';
import { parseArrayIndex, parseJsonPointer } from './json-pointer.js';
import { cloneJson, getOwn, hasOwn, isJsonObject, jsonEqual, setOwn, type JsonObject } from './json-value.js';
import { malformedPatch, unprocessablePatch } from './patch-errors.js';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** The API server's limit on operations in one JSON patch (upstream uses the same number). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Validates the shape of a JSON patch document and returns its operations. */
export function parseJsonPatch(doc: unknown): JsonPatchOperation[] {
  if (!Array.isArray(doc)) throw malformedPatch('json patch must be a JSON array of operations');
  if (doc.length > MAX_JSON_PATCH_OPERATIONS) {
    throw Errors.tooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${doc.length}`);
  }
  return doc.map((raw, i): JsonPatchOperation => {
    const where = `json patch operation ${i}`;
    if (!isJsonObject(raw)) throw malformedPatch(`${where}: must be a JSON object`);
    const op = getOwn(raw, 'op');
    if (typeof op !== 'string' || !OPS.has(op)) throw malformedPatch(`${where}: unsupported op ${JSON.stringify(op ?? null)}`);
    const path = checkedPointer(getOwn(raw, 'path'), `${where} (${op}): "path"`);
    switch (op) {
      case 'add': case 'replace': case 'test':
        if (!hasOwn(raw, 'value')) throw malformedPatch(`${where} (${op}): missing "value"`);
        return { op, path, value: raw['value'] };
      case 'remove':
        return { op, path };
      default: // move, copy
        return { op: op as 'move' | 'copy', from: checkedPointer(getOwn(raw, 'from'), `${where} (${op}): "from"`), path };
    }
  });
}

function checkedPointer(value: unknown, what: string): string {
  if (typeof value !== 'string') throw malformedPatch(`${what} must be a string`);
  if (!parseJsonPointer(value)) throw malformedPatch(`${what} is not a valid JSON pointer: ${JSON.stringify(value)}`);
  return value;
}

/** Applies an RFC 6902 patch document (validated with parseJsonPatch) and returns the new document. */
export function applyJsonPatch(original: unknown, patch: unknown): unknown {
  const ops = parseJsonPatch(patch);
  let doc = cloneJson(original);
  ops.forEach((op, i) => { doc = applyOperation(doc, op, `json patch operation ${i} (${op.op})`); });
  return doc;
}

type Container = JsonObject | unknown[];

function applyOperation(doc: unknown, op: JsonPatchOperation, where: string): unknown {
  const path = parseJsonPointer(op.path)!;
  switch (op.op) {
    case 'add':
      return add(doc, path, cloneJson(op.value), where, op.path);
    case 'remove':
      return remove(doc, path, where, op.path).doc;
    case 'replace':
      get(doc, path, where, op.path); // must exist
      return path.length === 0 ? cloneJson(op.value) : replaceExisting(doc, path, cloneJson(op.value), where, op.path);
    case 'test':
      if (!jsonEqual(get(doc, path, where, op.path), op.value)) {
        throw unprocessablePatch(`${where}: the value at "${op.path}" is not ${JSON.stringify(op.value)}`);
      }
      return doc;
    case 'move': {
      if (op.from === op.path) { get(doc, path, where, op.path); return doc; }
      if (op.path.startsWith(op.from + '/')) {
        throw unprocessablePatch(`${where}: cannot move "${op.from}" into its own child "${op.path}"`);
      }
      const removed = remove(doc, parseJsonPointer(op.from)!, where, op.from);
      return add(removed.doc, path, removed.value, where, op.path);
    }
    case 'copy':
      return add(doc, path, cloneJson(get(doc, parseJsonPointer(op.from)!, where, op.from)), where, op.path);
  }
}

function missing(where: string, pointer: string): Error {
  return unprocessablePatch(`${where}: path "${pointer}" does not exist`);
}

/** The container holding the last token of `tokens`; every step before it must exist. */
function parentOf(doc: unknown, tokens: string[], where: string, pointer: string): Container {
  let cur = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = parseArrayIndex(token);
      if (i === undefined || i >= cur.length) throw missing(where, pointer);
      cur = cur[i];
    } else if (isJsonObject(cur) && hasOwn(cur, token)) {
      cur = cur[token];
    } else {
      throw missing(where, pointer);
    }
  }
  if (!Array.isArray(cur) && !isJsonObject(cur)) throw missing(where, pointer);
  return cur;
}

/** Index of an existing array element (no `-`). */
function existingIndex(arr: unknown[], token: string, where: string, pointer: string): number {
  const i = parseArrayIndex(token);
  if (i === undefined || i >= arr.length) throw missing(where, pointer);
  return i;
}

function get(doc: unknown, tokens: string[], where: string, pointer: string): unknown {
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, where, pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) return parent[existingIndex(parent, last, where, pointer)];
  if (!hasOwn(parent, last)) throw missing(where, pointer);
  return parent[last];
}

function add(doc: unknown, tokens: string[], value: unknown, where: string, pointer: string): unknown {
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, where, pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : parseArrayIndex(last);
    if (i === undefined || i > parent.length) {
      throw unprocessablePatch(`${where}: array index "${last}" out of range at "${pointer}"`);
    }
    parent.splice(i, 0, value);
  } else {
    setOwn(parent, last, value);
  }
  return doc;
}

function replaceExisting(doc: unknown, tokens: string[], value: unknown, where: string, pointer: string): unknown {
  const parent = parentOf(doc, tokens, where, pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent[existingIndex(parent, last, where, pointer)] = value;
  else setOwn(parent, last, value);
  return doc;
}

function remove(doc: unknown, tokens: string[], where: string, pointer: string): { doc: unknown; value: unknown } {
  if (tokens.length === 0) throw unprocessablePatch(`${where}: cannot remove the whole document`);
  const parent = parentOf(doc, tokens, where, pointer);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = existingIndex(parent, last, where, pointer);
    return { doc, value: parent.splice(i, 1)[0] };
  }
  if (!hasOwn(parent, last)) throw missing(where, pointer);
  const value = parent[last];
  delete parent[last];
  return { doc, value };
}
