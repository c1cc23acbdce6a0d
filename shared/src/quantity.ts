// resource.Quantity for components that compute with quantities (quota, scheduler, kubelet):
// exact BigInt arithmetic in milli-units and the canonical text upstream prints.
//
// API:
//   parseQuantity("500m") → 500n, parseQuantity("1Gi") → 1073741824000n, parseQuantity(2) → 2000n
//     (milli-units, rounded up like upstream's MilliValue(); undefined when not a quantity)
//   quantityFormat("1Gi") → 'BinarySI' ("1e3" → 'DecimalExponent', everything else 'DecimalSI')
//   formatQuantity(1500n) → "1500m", formatQuantity(1073741824000n, 'BinarySI') → "1Gi",
//     formatQuantity(2000n) → "2", formatQuantity(1000000n) → "1k"
//   toQuantity / Quantity: value + format, the unit quota lists are made of (upstream keeps
//   the format of the left operand when adding, which decides how sums are printed).
//
// Not handled: precision below 1m (upstream keeps nano precision; k8ts quota and
// scheduling never need it) and values beyond what fits a BigInt (none).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value × 1000 */
  milli: bigint;
  format: QuantityFormat;
}

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([KMGTPE]i)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = { [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function plainNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // 1e21 and friends: exact decimal text through BigInt when integral
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(12).replace(/0+$/, '');
}

/** Parses a quantity (string or JSON number); undefined when it is not one. */
export function toQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === 'number' ? plainNumber(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, digits, binary, decimal, exponent] = m;
  const dot = digits!.indexOf('.');
  const intPart = dot < 0 ? digits! : digits!.slice(0, dot);
  const fracPart = dot < 0 ? '' : digits!.slice(dot + 1);
  let mantissa = BigInt(intPart + fracPart || '0');
  let exp10 = -fracPart.length + 3; // milli
  let format: QuantityFormat = 'DecimalSI';
  if (binary) { mantissa <<= BigInt(BINARY_EXP[binary]!); format = 'BinarySI'; }
  else if (decimal !== undefined) exp10 += DECIMAL_EXP[decimal]!;
  else if (exponent !== undefined) { exp10 += Number(exponent); format = 'DecimalExponent'; }
  let milli: bigint;
  if (exp10 >= 0) milli = mantissa * 10n ** BigInt(exp10);
  else {
    const div = 10n ** BigInt(-exp10);
    milli = (mantissa + div - 1n) / div; // round up (magnitude), as MilliValue()
  }
  return { milli: sign === '-' ? -milli : milli, format };
}

/** Milli-units of a quantity (rounded up); undefined when `value` is not a quantity. */
export function parseQuantity(value: unknown): bigint | undefined {
  return toQuantity(value)?.milli;
}

/** The format upstream infers from a quantity's suffix; undefined when not a quantity. */
export function quantityFormat(value: unknown): QuantityFormat | undefined {
  return toQuantity(value)?.format;
}

/** Canonical text of a milli-unit value in a format (upstream Quantity.String()). */
export function formatQuantity(milli: bigint, format: QuantityFormat = 'DecimalSI'): string {
  if (milli === 0n) return '0';
  const sign = milli < 0n ? '-' : '';
  const abs = milli < 0n ? -milli : milli;
  if (format === 'BinarySI' && abs % 1000n === 0n && abs / 1000n >= 1024n) {
    let rest = abs / 1000n;
    let k = 0;
    while (k < 6 && rest % 1024n === 0n) { rest /= 1024n; k++; }
    return `${sign}${rest}${BINARY_SUFFIX[k]}`;
  }
  // value = m × 10^e with m free of trailing zeros
  let m = abs;
  let e = -3;
  while (m % 10n === 0n) { m /= 10n; e++; }
  let scale = Math.floor(e / 3) * 3;
  if (format === 'DecimalExponent') {
    if (scale < -3) scale = -3;
    const mant = m * 10n ** BigInt(e - scale);
    // upstream prints milli values of exponent-format quantities as e.g. "1500e-3"
    return scale === 0 ? `${sign}${mant}` : `${sign}${mant}e${scale}`;
  }
  if (scale > 18) scale = 18;
  const mant = m * 10n ** BigInt(e - scale);
  return `${sign}${mant}${DECIMAL_SUFFIX[scale]}`;
}

/** Canonical text of any quantity input ("0.5" → "500m", "1024Mi" → "1Gi"); undefined when invalid. */
export function canonicalQuantityText(value: unknown): string | undefined {
  const q = toQuantity(value);
  return q && formatQuantity(q.milli, q.format);
}

export function quantityString(q: Quantity): string {
  return formatQuantity(q.milli, q.format);
}
