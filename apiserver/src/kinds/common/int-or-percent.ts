// int-or-percent values (maxSurge, maxUnavailable): validation with upstream's messages and
// the numeric part used for the "both zero" rule.
import { FieldErrors, type FieldError } from '@k8ts/shared';
import { regexError } from './name-validation.js';

const PERCENT_FMT = '[0-9]+%';
const PERCENT_RE = /^[0-9]+%$/;

export function validatePositiveIntOrPercent(value: unknown, field: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    return PERCENT_RE.test(value)
      ? []
      : [FieldErrors.invalid(field, value, regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%'))];
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value < 0 ? [FieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
  }
  return [FieldErrors.invalid(field, value, "must be an integer or percentage (e.g '5%')")];
}

/** The number in `5` or `"5%"`; undefined when absent or malformed. */
export function intOrPercentValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && PERCENT_RE.test(value)) return Number(value.slice(0, -1));
  return undefined;
}

export function validateNotMoreThan100Percent(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string' && PERCENT_RE.test(value) && Number(value.slice(0, -1)) > 100) {
    return [FieldErrors.invalid(field, value, 'must not be greater than 100%')];
  }
  return [];
}
