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

export function nowRFC3339(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
