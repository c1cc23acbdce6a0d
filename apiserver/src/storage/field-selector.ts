// Field selectors (`metadata.name=x,spec.nodeName!=y`). Every kind supports metadata.name and
// metadata.namespace; a kind adds its own through ResourceDef.fieldSelectors. An unknown
// field or malformed term is a 400 BadRequest, as upstream.
import { Errors, type KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';

interface Term { field: string; op: '=' | '!='; value: string; get: (o: KubeObject) => string | undefined; }

export interface FieldMatcher {
  empty: boolean;
  matches(obj: KubeObject): boolean;
  /** metadata.name=X when the selector pins one name (lets the store read one key). */
  exactName?: string;
}

const base: Record<string, (o: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
};

export function parseFieldSelector(input: string | undefined, def: Pick<ResourceDef, 'plural' | 'fieldSelectors' | 'kind'>): FieldMatcher {
  const sel = (input ?? '').trim();
  if (!sel) return { empty: true, matches: () => true };
  const known = { ...base, ...(def.fieldSelectors ?? {}) };
  const terms: Term[] = [];
  for (const raw of splitTerms(sel)) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(raw);
    if (!m) throw Errors.badRequest(`invalid selector: '${sel}'; can't understand '${raw}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = known[field];
    if (!get) throw Errors.badRequest(`field label not supported: ${field}`);
    terms.push({ field, op: op === '!=' ? '!=' : '=', value: unescape(value), get });
  }
  const nameTerm = terms.find((t) => t.field === 'metadata.name' && t.op === '=');
  return {
    empty: false,
    exactName: nameTerm?.value,
    matches: (obj) => terms.every((t) => {
      const v = t.get(obj) ?? '';
      return t.op === '=' ? v === t.value : v !== t.value;
    }),
  };
}

/** Splits on commas not escaped with a backslash. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i]! + s[i + 1]!; i++; continue; }
    if (s[i] === ',') { out.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  out.push(cur);
  return out.filter((t) => t.trim() !== '');
}

function unescape(v: string): string { return v.replace(/\\(.)/g, '$1'); }
