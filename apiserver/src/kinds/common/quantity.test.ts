import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, parseQuantity } from './quantity.js';

test('canonical quantity strings match upstream', () => {
  const cases: Array<[unknown, string]> = [
    ['4', '4'], ['10', '10'], ['5Gi', '5Gi'], ['10Gi', '10Gi'], ['100Mi', '100Mi'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'], ['500m', '500m'], ['1000m', '1'], ['0.5', '500m'], [0.5, '500m'], [1000, '1k'], [1500, '1500'],
    ['128974848', '128974848'], ['129e6', '129e6'], ['1e3', '1e3'], ['0.1', '100m'], ['-1', '-1'], ['0', '0'], ['1Ki', '1Ki'],
    ['512Ki', '512Ki'], ['0.000000001', '1n'], ['0.0000000001', '1n'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, String(input));
  assert.equal(canonicalQuantity('abc'), undefined);
  assert.equal(canonicalQuantity('1Gb'), undefined);
});

test('parseQuantity gives base units', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('1Gi'), 1073741824);
  assert.equal(parseQuantity('2k'), 2000);
  assert.equal(parseQuantity('x'), undefined);
});
