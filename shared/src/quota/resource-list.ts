// corev1.ResourceList arithmetic for quota (upstream pkg/quota/v1 resources.go): lists map
// resource names to Quantities; add keeps the left operand's format (which decides how sums
// print), masks keep only named resources, comparisons report what exceeds.
import { formatQuantity, toQuantity, type Quantity } from '../quantity.js';

export type ResourceList = Record<string, Quantity>;

const ZERO: Quantity = { milli: 0n, format: 'DecimalSI' };

/** Parses a stored ResourceList (`{"pods":"10","requests.cpu":"500m"}`); invalid entries are skipped. */
export function parseResourceList(raw: unknown): ResourceList {
  const out: ResourceList = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const q = toQuantity(v);
    if (q) out[k] = q;
  }
  return out;
}

/** The stored form: canonical strings. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = formatQuantity(list[k]!.milli, list[k]!.format);
  return out;
}

export function resourceNames(list: ResourceList): string[] {
  return Object.keys(list);
}

export function quantityOf(n: number | bigint, format: Quantity['format'] = 'DecimalSI'): Quantity {
  return { milli: BigInt(n) * 1000n, format };
}

/** a + b per resource; the format of a's entry is kept unless it is zero (upstream Quantity.Add). */
export function addResources(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) {
    const cur = out[k];
    // a zero left operand takes the right one's format (upstream Quantity.Add)
    out[k] = cur ? { milli: cur.milli + q.milli, format: cur.milli === 0n ? q.format : cur.format } : { ...q };
  }
  return out;
}

export function subtractResources(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) {
    const cur = out[k] ?? { ...ZERO, format: q.format };
    out[k] = { milli: cur.milli - q.milli, format: cur.milli === 0n ? q.format : cur.format };
  }
  return out;
}

/** Per resource, the larger of the two (init containers vs. the sum of app containers). */
export function maxResources(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, q] of Object.entries(b)) {
    const cur = out[k];
    if (!cur || q.milli > cur.milli) out[k] = { ...q };
  }
  return out;
}

export function maskResources(list: ResourceList, names: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (list[n]) out[n] = list[n]!;
  return out;
}

export function removeZeroResources(list: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, q] of Object.entries(list)) if (q.milli !== 0n) out[k] = q;
  return out;
}

export function negativeResources(list: ResourceList): string[] {
  return Object.keys(list).filter((k) => list[k]!.milli < 0n).sort();
}

/** a ≤ b for every resource of a that b constrains; `exceeded` lists the others. */
export function resourcesLessThanOrEqual(a: ResourceList, b: ResourceList): { ok: boolean; exceeded: string[] } {
  const exceeded: string[] = [];
  for (const [k, q] of Object.entries(a)) {
    const limit = b[k];
    if (limit && q.milli > limit.milli) exceeded.push(k);
  }
  return { ok: exceeded.length === 0, exceeded };
}

export function equalResources(a: ResourceList, b: ResourceList): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && b[k]!.milli === a[k]!.milli);
}

/** `requests.cpu=2,requests.memory=1Gi`: sorted, as upstream's quota error messages print lists. */
export function prettyPrintResources(list: ResourceList): string {
  return Object.keys(list).sort().map((k) => `${k}=${formatQuantity(list[k]!.milli, list[k]!.format)}`).join(',');
}
