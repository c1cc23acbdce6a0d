import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch } from './merge-patch.js';
import { deepFreeze } from './test-schemas.js';

test('RFC 7386 appendix A examples', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) {
    assert.deepEqual(mergePatch(deepFreeze(target), deepFreeze(patch)), expected, JSON.stringify({ target, patch }));
  }
});

test('kubectl label / annotate: null removes, values set', () => {
  const live = deepFreeze({ metadata: { name: 'p', labels: { a: '1', b: '2' }, annotations: { x: 'y' } }, spec: { c: [1] } });
  const out = mergePatch(live, { metadata: { labels: { a: null, c: '3' }, annotations: { z: 'w' } } }) as any;
  assert.deepEqual(out.metadata, { name: 'p', labels: { b: '2', c: '3' }, annotations: { x: 'y', z: 'w' } });
  assert.deepEqual(out.spec, { c: [1] });
});

test('kubectl scale: merge patch on spec.replicas', () => {
  assert.deepEqual(mergePatch({ spec: { replicas: 1 }, status: { replicas: 1 } }, { spec: { replicas: 5 } }),
    { spec: { replicas: 5 }, status: { replicas: 1 } });
});

test('no sharing with inputs', () => {
  const patch = deepFreeze({ spec: { list: [{ a: 1 }] } });
  const out = mergePatch({}, patch) as any;
  out.spec.list[0].a = 2;
  assert.equal(patch.spec.list[0]!.a, 1);
});
