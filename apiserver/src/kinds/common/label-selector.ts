// metav1.LabelSelector: schema, validation (upstream ValidateLabelSelector), matching, and
// the string forms upstream prints (LabelSelectorAsSelector(...).String(), FormatLabels).
import { FieldErrors, type FieldError } from '@k8ts/shared';
import type { JSONSchema } from '../../registry/types.js';
import { asArray, asRecord, child, index, isSet } from './field-path.js';
import { isQualifiedName, isValidLabelValue } from './name-validation.js';
import { validateLabels } from './object-meta-validation.js';
import { LABEL_SELECTOR, ref } from './definitions.js';

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export interface LabelSelectorRequirement { key: string; operator: string; values?: string[] }
export interface LabelSelector { matchLabels?: Record<string, string>; matchExpressions?: LabelSelectorRequirement[] }

/** metav1.LabelSelector (the meta built-in). */
export function labelSelectorSchema(description?: string): JSONSchema {
  return ref(LABEL_SELECTOR, description ?? 'A label selector is a label query over a set of resources.');
}

export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  if (!isSet(selector)) return [];
  const sel = asRecord(selector);
  const errs: FieldError[] = [];
  asArray(sel.matchExpressions).forEach((raw, i) => {
    const req = asRecord(raw);
    const at = index(child(field, 'matchExpressions'), i);
    const values = asArray<string>(req.values);
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(FieldErrors.required(child(at, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(FieldErrors.forbidden(child(at, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(FieldErrors.invalid(child(at, 'operator'), req.operator ?? '', 'not a valid selector operator'));
    }
    const k = typeof req.key === 'string' ? req.key : '';
    for (const msg of isQualifiedName(k)) errs.push(FieldErrors.invalid(child(at, 'key'), k, msg));
    values.forEach((v, j) => {
      if (typeof v === 'string') for (const msg of isValidLabelValue(v)) errs.push(FieldErrors.invalid(index(child(at, 'values'), j), v, msg));
    });
  });
  errs.push(...validateLabels(sel.matchLabels, child(field, 'matchLabels')));
  return errs;
}

export function isEmptySelector(selector: unknown): boolean {
  const sel = asRecord(selector);
  return Object.keys(asRecord(sel.matchLabels)).length === 0 && asArray(sel.matchExpressions).length === 0;
}

/** True when `labels` satisfy every requirement of `selector` (an empty selector matches all). */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  const sel = asRecord(selector);
  const l = asRecord(labels);
  for (const [k, v] of Object.entries(asRecord(sel.matchLabels))) if (l[k] !== v) return false;
  for (const raw of asArray(sel.matchExpressions)) {
    const req = asRecord(raw);
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const values = asArray<string>(req.values);
    switch (req.operator) {
      case 'In': if (!has || !values.includes(l[req.key])) return false; break;
      case 'NotIn': if (has && values.includes(l[req.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Map-selector semantics (RCs, services): every pair present; an empty map matches everything. */
export function mapSelectorMatches(selector: unknown, labels: unknown): boolean {
  const l = asRecord(labels);
  return Object.entries(asRecord(selector)).every(([k, v]) => l[k] === v);
}

/**
 * The string form of a LabelSelector, requirements sorted by key:
 * `app=web,tier in (a,b),!legacy`. Empty selector → ''.
 */
export function selectorToString(selector: unknown): string {
  const sel = asRecord(selector);
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries(asRecord(sel.matchLabels))) reqs.push({ key: k, text: `${k}=${v}` });
  for (const raw of asArray(sel.matchExpressions)) {
    const req = asRecord(raw);
    const key = String(req.key ?? '');
    const values = [...asArray<string>(req.values)].sort();
    switch (req.operator) {
      case 'In': reqs.push({ key, text: `${key} in (${values.join(',')})` }); break;
      case 'NotIn': reqs.push({ key, text: `${key} notin (${values.join(',')})` }); break;
      case 'Exists': reqs.push({ key, text: key }); break;
      case 'DoesNotExist': reqs.push({ key, text: `!${key}` }); break;
      default: break;
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** upstream metav1.FormatLabelSelector: like selectorToString, `<none>` when empty. */
export function formatLabelSelector(selector: unknown): string {
  if (!isSet(selector)) return '<none>';
  const s = selectorToString(selector);
  return s === '' ? '<none>' : s;
}

/** upstream labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const s = mapToSelectorString(labels);
  return s === '' ? '<none>' : s;
}

/** upstream labels.SelectorFromSet(m).String(): sorted `k=v` pairs, '' when empty. */
export function mapToSelectorString(labels: unknown): string {
  return Object.entries(asRecord(labels))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
