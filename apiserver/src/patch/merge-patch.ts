// RFC 7386 JSON Merge Patch (application/merge-patch+json).
// Contract: a patch that is an object merges key by key into the target (a target that is
// not an object counts as {}): `null` removes the key, an object value merges recursively,
// anything else (arrays included) replaces. A patch that is not an object replaces the
// target. Inputs are never mutated; the result shares no objects with them.
import { cloneJson, deleteOwn, getOwn, isJsonObject, setOwn, type JsonObject } from './json-value.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  return mergeInto(isJsonObject(target) ? cloneJson(target) : {}, patch);
}

/** Merges `patch` into `target`, which the caller owns. */
function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      deleteOwn(target, key);
    } else if (isJsonObject(value)) {
      const current = getOwn(target, key);
      setOwn(target, key, mergeInto(isJsonObject(current) ? current : {}, value));
    } else {
      setOwn(target, key, cloneJson(value));
    }
  }
  return target;
}
