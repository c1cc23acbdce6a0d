// Label selectors: the string form (`app=web,tier!=db,env in (a,b),!legacy`) used in query
// parameters, and the structured form (matchLabels + matchExpressions) used in specs.
// Both compile to a LabelMatcher. Parsing errors throw Errors.badRequest (invalid selector).
import { Errors } from './errors.js';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesnotexist' }
  | { key: string; op: '=' | '!='; values: [string] }
  | { key: string; op: 'gt' | 'lt'; values: [string] };

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export class LabelMatcher {
  constructor(readonly requirements: Requirement[]) {}
  /** An empty selector matches everything (as upstream for list filtering). */
  get empty(): boolean { return this.requirements.length === 0; }
  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    for (const r of this.requirements) {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      const v = l[r.key];
      switch (r.op) {
        case '=': if (!has || v !== r.values[0]) return false; break;
        case '!=': if (has && v === r.values[0]) return false; break;
        case 'in': if (!has || !r.values.includes(v!)) return false; break;
        case 'notin': if (has && r.values.includes(v!)) return false; break;
        case 'exists': if (!has) return false; break;
        case 'doesnotexist': if (has) return false; break;
        case 'gt': if (!has || !(Number(v) > Number(r.values[0]))) return false; break;
        case 'lt': if (!has || !(Number(v) < Number(r.values[0]))) return false; break;
      }
    }
    return true;
  }
  toString(): string {
    return this.requirements.map((r) => {
      switch (r.op) {
        case '=': return `${r.key}=${r.values[0]}`;
        case '!=': return `${r.key}!=${r.values[0]}`;
        case 'in': return `${r.key} in (${r.values.join(',')})`;
        case 'notin': return `${r.key} notin (${r.values.join(',')})`;
        case 'exists': return r.key;
        case 'doesnotexist': return `!${r.key}`;
        case 'gt': return `${r.key}>${r.values[0]}`;
        case 'lt': return `${r.key}<${r.values[0]}`;
      }
    }).join(',');
  }
}

const invalid = (sel: string, why: string) => Errors.badRequest(`unable to parse requirement: ${why} (selector "${sel}")`);

/** Parses the string form. Empty string → match-all. */
export function parseLabelSelector(input: string | undefined): LabelMatcher {
  const sel = (input ?? '').trim();
  if (!sel) return new LabelMatcher([]);
  const reqs: Requirement[] = [];
  let i = 0;
  const s = sel;
  const skipWs = () => { while (i < s.length && s[i] === ' ') i++; };
  const readKey = (): string => {
    skipWs();
    const start = i;
    while (i < s.length && /[A-Za-z0-9._\-/]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const readValue = (): string => {
    skipWs();
    const start = i;
    while (i < s.length && /[A-Za-z0-9._\-]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (i < s.length) {
    skipWs();
    let negate = false;
    if (s[i] === '!') { negate = true; i++; }
    const key = readKey();
    if (!key) throw invalid(sel, `found '${s[i] ?? 'EOF'}', expected: identifier`);
    validateKey(sel, key);
    skipWs();
    if (negate) {
      reqs.push({ key, op: 'doesnotexist' });
    } else if (i >= s.length || s[i] === ',') {
      reqs.push({ key, op: 'exists' });
    } else if (s.startsWith('==', i) || s.startsWith('!=', i) || s[i] === '=') {
      const op = s.startsWith('!=', i) ? '!=' : '=';
      i += s.startsWith('==', i) || s.startsWith('!=', i) ? 2 : 1;
      const v = readValue();
      validateValue(sel, v);
      reqs.push({ key, op, values: [v] });
    } else if (s[i] === '>' || s[i] === '<') {
      const op = s[i] === '>' ? 'gt' : 'lt';
      i++;
      const v = readValue();
      if (!/^-?\d+$/.test(v)) throw invalid(sel, `for 'Gt', 'Lt' operators, the value must be an integer`);
      reqs.push({ key, op, values: [v] });
    } else {
      const word = readKey().toLowerCase();
      if (word !== 'in' && word !== 'notin') throw invalid(sel, `found '${word || s[i]}', expected: '=', '!=', '==', 'in', notin'`);
      skipWs();
      if (s[i] !== '(') throw invalid(sel, `found '${s[i] ?? 'EOF'}', expected: '('`);
      i++;
      const values: string[] = [];
      for (;;) {
        const v = readValue();
        validateValue(sel, v);
        if (v) values.push(v);
        skipWs();
        if (s[i] === ',') { i++; continue; }
        if (s[i] === ')') { i++; break; }
        throw invalid(sel, `found '${s[i] ?? 'EOF'}', expected: ',' or ')'`);
      }
      if (values.length === 0 && word === 'in') throw invalid(sel, `for 'in', 'notin' operators, values set can't be empty`);
      reqs.push({ key, op: word, values });
    }
    skipWs();
    if (i < s.length) {
      if (s[i] !== ',') throw invalid(sel, `found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
      if (i >= s.length) throw invalid(sel, `found 'EOF', expected: identifier`);
    }
  }
  return new LabelMatcher(reqs);
}

function validateKey(sel: string, key: string): void {
  const parts = key.split('/');
  if (parts.length > 2) throw invalid(sel, `invalid label key "${key}"`);
  const name = parts[parts.length - 1]!;
  if (name.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) throw invalid(sel, `invalid label key "${key}"`);
  if (parts.length === 2 && (parts[0]!.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0]!))) {
    throw invalid(sel, `invalid label key "${key}"`);
  }
}

function validateValue(sel: string, v: string): void {
  if (v === '') return;
  if (v.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(v)) throw invalid(sel, `invalid label value: "${v}"`);
}

/**
 * Compiles a structured selector. Upstream semantics: a null selector matches nothing
 * (callers decide), an empty one ({}) matches everything. Bad operators throw BadRequest.
 */
export function labelSelectorMatcher(sel: LabelSelector): LabelMatcher {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In' || op === 'NotIn') {
      if (!e.values?.length) throw Errors.badRequest(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
      reqs.push({ key: e.key, op: op === 'In' ? 'in' : 'notin', values: [...e.values].sort() });
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      reqs.push({ key: e.key, op: op === 'Exists' ? 'exists' : 'doesnotexist' });
    } else {
      throw Errors.badRequest(`"${op}" is not a valid label selector operator`);
    }
  }
  return new LabelMatcher(reqs);
}

/** `matchLabels` map → `a=b,c=d` (used for Scale.status.selector and list queries). */
export function selectorString(sel: LabelSelector | Record<string, string> | undefined): string {
  if (!sel) return '';
  const isStruct = 'matchLabels' in sel || 'matchExpressions' in sel;
  return labelSelectorMatcher(isStruct ? (sel as LabelSelector) : { matchLabels: sel as Record<string, string> }).toString();
}
