// Field paths as upstream prints them (`spec.containers[0].ports[1].containerPort`,
// `metadata.labels[app]`), plus the few FieldError shapes @k8ts/shared does not build.
import { FieldErrors, type FieldError } from '@k8ts/shared';

export const child = (path: string, ...names: string[]): string =>
  [path, ...names].filter((p) => p !== '').join('.');

export const index = (path: string, i: number): string => `${path}[${i}]`;

export const key = (path: string, k: string): string => `${path}[${k}]`;

/** `<field>: Invalid value: <v>: field is immutable` */
export const immutable = (field: string, value: unknown): FieldError => FieldErrors.invalid(field, value, 'field is immutable');

/**
 * upstream field.NotFound. The shared FieldError reason union has no 'FieldValueNotFound',
 * so the reason is reported as FieldValueInvalid while the message keeps upstream's words.
 */
export const notFound = (field: string, value: unknown): FieldError =>
  ({ field, reason: 'FieldValueInvalid', message: `Not found: ${JSON.stringify(value)}` });

/** upstream field.TooMany (same reason caveat as notFound). */
export const tooMany = (field: string, actual: number, max: number): FieldError =>
  ({ field, reason: 'FieldValueInvalid', message: `Too many: ${actual}: must have at most ${max} items` });

/** `must be greater than or equal to 0` for an optional number. */
export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [FieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** Values decoded from JSON may be null where Go would see the zero value. */
export const isSet = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

export const asArray = <T = any>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export const asRecord = (v: unknown): Record<string, any> =>
  (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {});
