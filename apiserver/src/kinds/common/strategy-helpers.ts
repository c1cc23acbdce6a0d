// Building blocks shared by the kinds' strategies: the main strategy keeps the stored
// status, the /status strategy keeps everything but status, creates start from an empty
// status. All helpers mutate the object handed to them (the store passes its own copy).
import type { FieldError, KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { validateObjectMetaUpdate } from './object-meta-validation.js';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

export const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Server-owned status on create: whatever the client sent is replaced by `initial`. */
export function resetStatus(obj: KubeObject, initial: Record<string, unknown> = {}): void {
  obj.status = clone(initial);
}

/** Main-strategy update: the stored status wins (it is written through /status only). */
export function keepOldStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = clone(old.status);
}

/**
 * /status update: only `.status` is taken from the new object; spec, data and metadata stay
 * as stored, except the resourceVersion the client sent (the store's precondition).
 */
export function takeOnlyStatus(obj: KubeObject, old: KubeObject): void {
  const status = obj.status;
  const resourceVersion = obj.metadata?.resourceVersion;
  for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'apiVersion' && k !== 'kind') obj[k] = clone(v);
  obj.metadata = { ...clone(old.metadata) };
  if (resourceVersion !== undefined) obj.metadata.resourceVersion = resourceVersion;
  if (status === undefined) delete obj.status;
  else obj.status = status;
}

/**
 * A /status strategy: takes only .status from the request. `validateStatus` checks the
 * status fields (metadata identity is checked too).
 */
export function statusStrategy(validateStatus?: (obj: KubeObject, old: KubeObject) => FieldError[]): Strategy {
  return {
    prepareForUpdate(obj, old) { takeOnlyStatus(obj, old); },
    validateUpdate(obj, old) { return [...validateObjectMetaUpdate(obj, old), ...(validateStatus?.(obj, old) ?? [])]; },
    specChanged() { return false; },
  };
}
