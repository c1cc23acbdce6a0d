// The kubelet's units over shared/quantity.ts (resource.Quantity in exact milli-units): cpu in
// millicores and memory in bytes, both rounded up; undefined for anything that is not a
// quantity. Pure.
import { parseQuantity } from '@k8ts/shared/quantity';

/** A quantity in milli-units (exact, rounded up), or undefined. */
export const milliOf = (q: unknown): bigint | undefined => parseQuantity(q);

/** ⌈a / b⌉ for b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b === a || a < 0n ? q : q + 1n;
}

/** CPU quantity in millicores (rounded up), or undefined. */
export function cpuMillis(q: unknown): number | undefined {
  const m = milliOf(q);
  return m === undefined ? undefined : Number(m);
}

/** Memory quantity in bytes (rounded up), or undefined. */
export function bytes(q: unknown): number | undefined {
  const m = milliOf(q);
  return m === undefined ? undefined : Number(ceilDiv(m, 1000n));
}
