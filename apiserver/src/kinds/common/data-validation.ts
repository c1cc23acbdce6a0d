// Checks shared by ConfigMaps and Secrets: key syntax, total size, and the `immutable`
// flag (once true, data may not change and the flag may not be unset).
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asRecord, key } from './field-path.js';
import { isConfigMapKey } from './name-validation.js';
import { deepEqual } from './strategy-helpers.js';

export const MAX_DATA_SIZE = 1024 * 1024;

export function validateDataKeys(data: unknown, field: string): FieldError[] {
  return Object.keys(asRecord(data)).flatMap((k) => isConfigMapKey(k).map((m) => FieldErrors.invalid(key(field, k), k, m)));
}

/** `fields` are the data maps that `immutable: true` freezes. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(FieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(FieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
