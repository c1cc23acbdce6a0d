// `$setElementOrder/<list>` of the strategic merge patch: the order the client wants for a
// merged list, given as merge-key stubs (`[{"name":"a"},{"name":"b"}]`) or, for lists of
// primitives, the values themselves. kubectl apply sends it with every merged list.
// Contract (as the upstream server behaves):
// - every item the patch sends for the list (`$patch` directive items aside) must appear in
//   the order list, in the same relative order; otherwise 400.
// - items of the merged list named in the order list are sorted by it; the other items
//   ("server-only", e.g. added by another writer) keep their relative order and are woven
//   back in: a server-only item goes before an ordered item unless both were in the live
//   list and the ordered one came first there. With no server-only items the result is
//   exactly the requested order.
import { getOwn, isJsonObject, jsonEqual } from './json-value.js';
import { malformedPatch } from './patch-errors.js';

/** The identity of a list item: its merge key's value, or the item itself for primitives. */
export function keyOf(item: unknown, mergeKey: string | undefined): unknown {
  if (mergeKey === undefined) return item;
  return isJsonObject(item) ? getOwn(item, mergeKey) : undefined;
}

function indexOfKey(keys: readonly unknown[], key: unknown): number {
  if (key === undefined) return -1;
  return keys.findIndex((k) => jsonEqual(k, key));
}

/** The keys listed by a `$setElementOrder` value; 400 when an entry lacks the merge key. */
export function orderKeys(order: readonly unknown[], mergeKey: string | undefined, where: string): unknown[] {
  return order.map((entry) => {
    const key = keyOf(entry, mergeKey);
    if (key === undefined || key === null || (mergeKey === undefined && typeof entry === 'object')) {
      throw malformedPatch(`${where}: invalid $setElementOrder entry ${JSON.stringify(entry)}${mergeKey ? ` (needs merge key "${mergeKey}")` : ''}`);
    }
    return key;
  });
}

/** 400 unless the patch's items for the list appear in `keys`, in the same relative order. */
export function checkPatchMatchesOrder(patchItems: readonly unknown[], keys: readonly unknown[], mergeKey: string | undefined, where: string): void {
  let last = -1;
  for (const item of patchItems) {
    const i = indexOfKey(keys, keyOf(item, mergeKey));
    if (i < 0) throw malformedPatch(`${where}: item ${JSON.stringify(item)} is not in its $setElementOrder list`);
    if (i < last) throw malformedPatch(`${where}: the order of the patch list does not match its $setElementOrder list`);
    last = i;
  }
}

/**
 * Reorders `merged` (the list after merging) by `keys`. `live` is the list as it was before
 * the patch, which decides where server-only items go. Returns a new array.
 */
export function applyElementOrder(merged: readonly unknown[], keys: readonly unknown[], live: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const ordered: Array<{ item: unknown; rank: number }> = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) {
    const rank = indexOfKey(keys, keyOf(item, mergeKey));
    if (rank >= 0) ordered.push({ item, rank });
    else serverOnly.push(item);
  }
  ordered.sort((a, b) => a.rank - b.rank); // stable: duplicates keep their merged order
  const liveKeys = live.map((item) => keyOf(item, mergeKey));
  const livePos = (item: unknown) => indexOfKey(liveKeys, keyOf(item, mergeKey));

  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < ordered.length || j < serverOnly.length) {
    if (j >= serverOnly.length) { out.push(ordered[i++]!.item); continue; }
    if (i >= ordered.length) { out.push(serverOnly[j++]); continue; }
    const a = livePos(ordered[i]!.item);
    const b = livePos(serverOnly[j]);
    if (a >= 0 && b >= 0 && a < b) out.push(ordered[i++]!.item);
    else out.push(serverOnly[j++]);
  }
  return out;
}
