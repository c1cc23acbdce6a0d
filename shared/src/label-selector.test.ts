import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector, labelSelectorMatcher, selectorString } from './label-selector.js';
import { StatusError } from './errors.js';

test('string selectors match as upstream', () => {
  const m = parseLabelSelector('app=web,tier!=db,env in (prod, staging),!legacy,team');
  assert.equal(m.matches({ app: 'web', env: 'prod', team: 'x' }), true);
  assert.equal(m.matches({ app: 'web', env: 'prod', team: 'x', legacy: '1' }), false);
  assert.equal(m.matches({ app: 'web', env: 'dev', team: 'x' }), false);
  assert.equal(m.matches({ app: 'web', env: 'prod', tier: 'db', team: 'x' }), false);
  assert.equal(parseLabelSelector('a==b').matches({ a: 'b' }), true);
  assert.equal(parseLabelSelector('').matches(undefined), true);
  assert.equal(parseLabelSelector('x notin (a)').matches({}), true);
});

test('malformed selectors are BadRequest', () => {
  for (const bad of ['app=', 'a in b', '=x', 'a,', 'a in ()', 'a=b c', 'a=$$']) {
    if (bad === 'app=') { assert.equal(parseLabelSelector(bad).matches({ app: '' }), true); continue; }
    assert.throws(() => parseLabelSelector(bad), (e: unknown) => e instanceof StatusError && e.httpCode === 400, bad);
  }
});

test('structured selectors and their string form', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] };
  const m = labelSelectorMatcher(sel);
  assert.equal(m.matches({ app: 'web', tier: 'fe' }), true);
  assert.equal(m.matches({ app: 'web' }), false);
  assert.equal(selectorString(sel), 'app=web,tier in (be,fe)');
  assert.equal(selectorString({ app: 'nginx' }), 'app=nginx');
  assert.equal(labelSelectorMatcher({}).matches({ any: 'x' }), true);
});
