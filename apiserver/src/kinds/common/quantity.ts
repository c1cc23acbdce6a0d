// resource.Quantity: parsing, comparison and the canonical string form upstream stores
// ("0.5" → "500m", "1024Mi" → "1Gi", 1000 → "1k"). Exact arithmetic with BigInt; values
// are rounded up to nano (10^-9) precision like upstream.
//
// Not handled: quantities beyond int64 precision are still printed exactly (upstream would
// switch to an inf.Dec representation with the same text).

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface Parsed {
  negative: boolean;
  /** value = mantissa × 10^exp10 × 2^exp2 */
  mantissa: bigint;
  exp10: number;
  exp2: number;
  format: Format;
}

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export const QUANTITY_REGEX_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function parse(value: unknown): Parsed | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = numberToPlain(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, digits, binary, decimal, exponent] = m;
  const dot = digits!.indexOf('.');
  const intPart = dot < 0 ? digits! : digits!.slice(0, dot);
  const fracPart = dot < 0 ? '' : digits!.slice(dot + 1);
  const mantissa = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  let exp10 = -fracPart.length;
  let exp2 = 0;
  let format: Format = 'DecimalSI';
  if (binary) { exp2 = BINARY_EXP[binary]!; format = 'BinarySI'; }
  else if (decimal !== undefined) exp10 += DECIMAL_EXP[decimal]!;
  else if (exponent !== undefined) { exp10 += Number(exponent); format = 'DecimalExponent'; }
  return { negative: sign === '-' && mantissa !== 0n, mantissa, exp10, exp2, format };
}

/** Plain decimal text of a JS number (no exponent notation). */
function numberToPlain(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  const [coef, expText] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(expText);
  const neg = coef.startsWith('-');
  const digits = coef.replace('-', '');
  const dot = digits.indexOf('.');
  const all = digits.replace('.', '');
  const pointAt = (dot < 0 ? digits.length : dot) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${all}`;
  else if (pointAt >= all.length) out = all + '0'.repeat(pointAt - all.length);
  else out = `${all.slice(0, pointAt)}.${all.slice(pointAt)}`;
  return (neg ? '-' : '') + out;
}

/** value as an exact decimal: m × 10^e (binary multipliers folded in), rounded up to nano. */
function toDecimal(p: Parsed): { m: bigint; e: number } {
  let m = p.mantissa * (1n << BigInt(p.exp2));
  let e = p.exp10;
  if (e < -9) {
    const div = 10n ** BigInt(-9 - e);
    m = (m + div - 1n) / div; // round away from zero (magnitude), like upstream's RoundUp
    e = -9;
  }
  if (m === 0n) return { m: 0n, e: 0 };
  while (m % 10n === 0n) { m /= 10n; e++; }
  return { m, e };
}

function decimalText(m: bigint, e: number, exponentForm: boolean): string {
  if (m === 0n) return '0';
  let scale = Math.floor(e / 3) * 3;
  if (scale > 18 && !exponentForm) scale = 18;
  const mantissa = m * 10n ** BigInt(e - scale);
  if (exponentForm) return scale === 0 ? `${mantissa}` : `${mantissa}e${scale}`;
  return `${mantissa}${DECIMAL_SUFFIX[scale]}`;
}

/** Canonical string form; undefined when `value` is not a quantity. */
export function canonicalQuantity(value: unknown): string | undefined {
  const p = parse(value);
  if (!p) return undefined;
  const { m, e } = toDecimal(p);
  const sign = p.negative && m !== 0n ? '-' : '';
  if (p.format === 'BinarySI' && e >= 0) {
    const whole = m * 10n ** BigInt(e);
    if (whole >= 1024n) {
      let k = 0;
      let rest = whole;
      while (k < 6 && rest % 1024n === 0n) { rest /= 1024n; k++; }
      return `${sign}${rest}${BINARY_SUFFIX[k]}`;
    }
  }
  return sign + decimalText(m, e, p.format === 'DecimalExponent');
}

/** Approximate numeric value (base units, e.g. cores or bytes); undefined when invalid. */
export function parseQuantity(value: unknown): number | undefined {
  const p = parse(value);
  if (!p) return undefined;
  const { m, e } = toDecimal(p);
  const n = Number(m) * 10 ** e;
  return p.negative ? -n : n;
}

export function isQuantity(value: unknown): boolean {
  return parse(value) !== undefined;
}

/** Rewrites every valid quantity of a map to its canonical string (invalid ones are left for validation). */
export function canonicalizeQuantityMap(map: unknown): void {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return;
  const rec = map as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) {
    const c = canonicalQuantity(v);
    if (c !== undefined) rec[k] = c;
  }
}
