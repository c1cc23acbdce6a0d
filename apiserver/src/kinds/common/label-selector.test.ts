import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLabels, formatLabelSelector, selectorMatches, selectorToString, validateLabelSelector } from './label-selector.js';

test('selector string form, requirements sorted by key', () => {
  const sel = {
    matchLabels: { tier: 'fe', app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'dev'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'NotIn', values: ['a'] },
      { key: 'canary', operator: 'Exists' },
    ],
  };
  assert.equal(selectorToString(sel), 'app=web,canary,env in (dev,prod),!legacy,tier=fe,zone notin (a)');
  assert.equal(selectorToString({}), '');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels({}), '<none>');
});

test('selector matching', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] };
  assert.ok(selectorMatches(sel, { app: 'web' }));
  assert.ok(selectorMatches(sel, { app: 'web', env: 'prod' }));
  assert.ok(!selectorMatches(sel, { app: 'web', env: 'dev' }));
  assert.ok(!selectorMatches(sel, { app: 'api' }));
  assert.ok(selectorMatches({}, { anything: 'x' }));
});

test('selector validation: operators and values', () => {
  const errs = validateLabelSelector({
    matchLabels: { 'bad key!': 'x' },
    matchExpressions: [
      { key: 'a', operator: 'In', values: [] },
      { key: 'b', operator: 'Exists', values: ['x'] },
      { key: 'c', operator: 'Foo' },
    ],
  }, 'spec.selector');
  const text = errs.map((e) => `${e.field}: ${e.message}`);
  assert.ok(text.includes("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"));
  assert.ok(text.includes("spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  assert.ok(text.includes('spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator'));
  assert.ok(text.some((t) => t.startsWith('spec.selector.matchLabels: Invalid value: "bad key!": name part must consist')));
});
