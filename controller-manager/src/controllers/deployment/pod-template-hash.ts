// The pod-template-hash: a short, DNS-safe name suffix derived from a pod template
// (upstream controller.ComputeHash) and template equality that ignores it (EqualIgnoreHash).
//
// Contract:
// - hash = FNV-1a 32-bit over the template's canonical form, then (when collisionCount is set)
//   over 8 little-endian bytes of collisionCount, printed in decimal and each digit mapped
//   through upstream's SafeEncodeString alphabet ("bcdfghjklmnpqrstvwxz2456789"), e.g.
//   "7c5ddbdf54". Deterministic across processes and restarts.
// - The canonical form is sorted-key JSON of the template with null, empty objects and empty
//   arrays dropped, so that round trips through clients (kubectl rollout undo sends
//   `creationTimestamp: null`, `resources: {}`) do not change equality or the hash.
// - NOT byte-compatible with upstream: upstream hashes a Go struct dump (spew) which cannot be
//   reproduced from JSON; names therefore differ from a real cluster's for the same template.
import { POD_TEMPLATE_HASH_LABEL, type PodTemplate } from './types.js';

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Drops null/undefined, {} and [] (recursively) and sorts object keys. */
export function canonicalize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(canonicalize).filter((x) => x !== undefined);
    return out.length ? out : undefined;
  }
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const c = canonicalize((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHANUMS[ch.codePointAt(0)! % SAFE_ALPHANUMS.length];
  return out;
}

export function computeHash(template: PodTemplate | undefined, collisionCount?: number): string {
  const json = JSON.stringify(canonicalize(template ?? {}) ?? {});
  let h = fnv32a(new TextEncoder().encode(json));
  if (collisionCount !== undefined && collisionCount !== null) {
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}

function withoutHashLabel(t: PodTemplate | undefined): unknown {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return canonicalize(c);
}

/** Templates equal up to the pod-template-hash label (and null/empty-value noise). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return JSON.stringify(withoutHashLabel(a) ?? {}) === JSON.stringify(withoutHashLabel(b) ?? {});
}
