// Value formats that Kubernetes' decoder enforces while reading a request body (a failure
// there is a 400 BadRequest, not a 422): resource quantities, RFC 3339 times, base64 bytes,
// and integer widths. Each check returns undefined when the value is acceptable, or the
// decoder-style reason it is not.

/** Upstream's advertised pattern, quoted in its error message. */
export const QUANTITY_PATTERN_TEXT = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

// Number: digits with at most one '.', at least one digit. Suffix: binary SI (Ki..Ei),
// decimal SI (n u m "" k M G T P E), or a decimal exponent (e3, E-2).
const QUANTITY_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** A resource quantity: `100m`, `1Gi`, `0.5`, `2e3`, or a JSON number. */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `quantities must match the regular expression '${QUANTITY_PATTERN_TEXT}'`;
  if (typeof value !== 'string') return `quantities must be a string or a number`;
  return QUANTITY_RE.test(value) ? undefined : `quantities must match the regular expression '${QUANTITY_PATTERN_TEXT}'`;
}

export function isQuantityString(value: string): boolean {
  return QUANTITY_RE.test(value);
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** metav1.Time / MicroTime: RFC 3339 (`2024-01-02T03:04:05Z`, fractional seconds allowed). */
export function dateTimeProblem(value: string): string | undefined {
  const m = RFC3339_RE.exec(value);
  const bad = `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": not an RFC 3339 time`;
  if (!m) return bad;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad;
  return undefined;
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** format: byte — standard base64 with padding (Go's base64.StdEncoding; CR/LF ignored). */
export function base64Problem(value: string): string | undefined {
  let count = 0;
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      padding++;
      if (padding > 2) return `illegal base64 data at input byte ${i}`;
    } else if (padding > 0 || !BASE64_CHAR.test(c)) {
      return `illegal base64 data at input byte ${i}`;
    }
    count++;
  }
  if (count % 4 !== 0) return `illegal base64 data at input byte ${value.length}`;
  return undefined;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775807; // not exactly representable; a guard, not a precise bound

/** integer with format int32 / int64 (no format = int64): undefined when it fits. */
export function integerRangeProblem(value: number, format: string | undefined): { min?: number; max?: number } | undefined {
  if (format === 'int32') {
    if (value < INT32_MIN) return { min: INT32_MIN };
    if (value > INT32_MAX) return { max: INT32_MAX };
    return undefined;
  }
  if (value < -INT64_LIMIT) return { min: -INT64_LIMIT };
  if (value > INT64_LIMIT) return { max: INT64_LIMIT };
  return undefined;
}
