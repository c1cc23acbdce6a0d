// Static bearer tokens in kube-apiserver's --token-auth-file format: one CSV record per line,
// `token,user,uid,"group1,group2"` (the groups column is optional).
//
// Contract:
// - parseTokenFile accepts blank lines and RFC 4180 quoting; a record with fewer than three
//   columns or an empty token/user is an error naming the line. Comments are NOT supported
//   (upstream does not support them either).
// - renderTokenFile writes one record per entry, groups quoted, trailing newline; its output
//   parses back to the same entries.
// - ensureTokens keeps every existing record (its token and uid never change, records for
//   users it does not know are kept as they are), sets the groups of the wanted identities,
//   and appends a random token for each wanted user that has none.
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import type { Identity } from './identities.js';

export interface TokenEntry {
  token: string;
  user: string;
  uid: string;
  groups: string[];
}

export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('unterminated quoted field');
        const c = line[i]!;
        if (c === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += c;
        i++;
      }
      if (i < line.length && line[i] !== ',') throw new Error(`unexpected character after quoted field at column ${i + 1}`);
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      if (field.includes('"')) throw new Error('quote inside an unquoted field');
      i = end < 0 ? line.length : end;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++; // skip the comma
  }
}

export function parseTokenFile(text: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    if (raw.trim() === '') return;
    let rec: string[];
    try {
      rec = parseCsvLine(raw);
    } catch (e) {
      throw new Error(`token file line ${idx + 1}: ${(e as Error).message}`);
    }
    if (rec.length < 3) throw new Error(`token file line ${idx + 1}: need at least 3 columns (token,user,uid), found ${rec.length}`);
    const [token, user, uid, groups] = rec as [string, string, string, string | undefined];
    if (!token || !user) throw new Error(`token file line ${idx + 1}: empty token or user`);
    entries.push({ token, user, uid, groups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] });
  });
  return entries;
}

function csvField(s: string, forceQuote = false): string {
  return forceQuote || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderTokenFile(entries: readonly TokenEntry[]): string {
  return entries
    .map((e) => {
      const cols = [csvField(e.token), csvField(e.user), csvField(e.uid)];
      if (e.groups.length) cols.push(csvField(e.groups.join(','), true));
      return cols.join(',');
    })
    .map((l) => l + '\n')
    .join('');
}

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function ensureTokens(existing: readonly TokenEntry[], wanted: readonly Identity[]): { entries: TokenEntry[]; added: string[] } {
  const byUser = new Map(wanted.map((w) => [w.user, w]));
  const entries = existing.map((e) => {
    const w = byUser.get(e.user);
    return w ? { ...e, groups: [...w.groups] } : { ...e, groups: [...e.groups] };
  });
  const have = new Set(entries.map((e) => e.user));
  const added: string[] = [];
  for (const w of wanted) {
    if (have.has(w.user)) continue;
    entries.push({ token: newToken(), user: w.user, uid: randomUUID(), groups: [...w.groups] });
    added.push(w.user);
  }
  return { entries, added };
}

/** Reads (if present) and completes the token file; rewrites it (0600) only when it changes. */
export async function ensureTokenFile(file: string, wanted: readonly Identity[]): Promise<{ entries: TokenEntry[]; added: string[] }> {
  let before: string | undefined;
  try {
    before = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let existing: TokenEntry[];
  try {
    existing = before === undefined ? [] : parseTokenFile(before);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const result = ensureTokens(existing, wanted);
  const text = renderTokenFile(result.entries);
  if (text === before) {
    await chmod(file, 0o600);
    return result;
  }
  const tmp = `${file}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
  return result;
}

/** The token of `user` (first record wins, as in upstream). */
export function tokenFor(entries: readonly TokenEntry[], user: string): string | undefined {
  return entries.find((e) => e.user === user)?.token;
}
