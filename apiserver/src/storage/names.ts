// Server-generated values: uids and generateName suffixes (upstream's alphabet avoids
// vowels and look-alike characters so generated names never spell words).
import { randomUUID, randomInt } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function newUid(): string { return randomUUID(); }

export function generateName(base: string): string {
  const maxBase = 63 - 5;
  const b = base.length > maxBase ? base.slice(0, maxBase) : base;
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return b + s;
}

let lastSecond = NaN;
let lastText = '';

/** RFC 3339 at second precision (metav1.Time); memoized per second, as every write asks. */
export function nowRFC3339(d?: Date): string {
  const ms = d ? d.getTime() : Date.now();
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return lastText;
  // toISOString is always YYYY-MM-DDTHH:MM:SS.sssZ for years 0–9999: drop the milliseconds
  const text = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  lastSecond = second;
  lastText = text;
  return text;
}
