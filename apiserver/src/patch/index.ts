// PATCH for the API server: picks the patch flavour from the request's Content-Type and
// applies a patch body to the stored object.
// Contract:
// - patchTypeFromContentType: application/json-patch+json → 'json',
//   application/merge-patch+json → 'merge', application/strategic-merge-patch+json →
//   'strategic' (parameters such as `; charset=utf-8` ignored, case-insensitive). Anything
//   else, application/apply-patch+yaml (server-side apply) included, is 415.
// - applyPatch: the body may be raw (string / bytes, parsed as JSON: 400 when it is not) or
//   already parsed. merge and strategic patches must be JSON objects (400). The result is a
//   new object sharing nothing with the inputs; a JSON patch whose result is not an object
//   is 422. Errors are StatusErrors (see patch-errors.ts, json-patch.ts, strategic-merge-patch.ts).
import { Errors } from '@k8ts/shared';
import type { JSONSchema } from '../registry/types.js';
import { applyJsonPatch } from './json-patch.js';
import { isJsonObject, type JsonObject } from './json-value.js';
import { mergePatch } from './merge-patch.js';
import { malformedPatch, unprocessablePatch } from './patch-errors.js';
import type { RefResolver } from './patch-schema.js';
import { strategicMergePatch } from './strategic-merge-patch.js';

export { applyJsonPatch, parseJsonPatch, MAX_JSON_PATCH_OPERATIONS, type JsonPatchOperation } from './json-patch.js';
export { mergePatch } from './merge-patch.js';
export { strategicMergePatch } from './strategic-merge-patch.js';
export type { RefResolver } from './patch-schema.js';
export type { JsonObject } from './json-value.js';

export type PatchType = 'json' | 'merge' | 'strategic';

export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

export function patchTypeFromContentType(contentType: string | undefined): PatchType {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const type = Object.prototype.hasOwnProperty.call(PATCH_CONTENT_TYPES, mediaType) ? PATCH_CONTENT_TYPES[mediaType] : undefined;
  if (!type) throw Errors.unsupportedMediaType(contentType ?? '');
  return type;
}

/** Parses a raw patch body (string or bytes); an already-parsed value is returned as is. */
export function parsePatchBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw malformedPatch(`the patch body is not valid JSON: ${(e as Error).message}`);
  }
}

export function applyPatch(
  type: PatchType, original: unknown, patchBody: unknown, schema?: JSONSchema, resolveRef?: RefResolver,
): JsonObject {
  const patch = parsePatchBody(patchBody);
  switch (type) {
    case 'json': {
      const result = applyJsonPatch(original, patch);
      if (!isJsonObject(result)) throw unprocessablePatch('the json patch did not produce a JSON object');
      return result;
    }
    case 'merge':
      if (!isJsonObject(patch)) throw malformedPatch('a merge patch must be a JSON object');
      return mergePatch(isJsonObject(original) ? original : {}, patch) as JsonObject;
    case 'strategic':
      return strategicMergePatch(original, patch, schema, resolveRef);
  }
}
