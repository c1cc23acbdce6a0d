import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantityText, formatQuantity, parseQuantity, quantityFormat } from './quantity.js';

test('parseQuantity: milli-units, rounded up', () => {
  assert.equal(parseQuantity('500m'), 500n);
  assert.equal(parseQuantity('1'), 1000n);
  assert.equal(parseQuantity(2), 2000n);
  assert.equal(parseQuantity(0.5), 500n);
  assert.equal(parseQuantity('128Mi'), 128n * 1024n * 1024n * 1000n);
  assert.equal(parseQuantity('1Gi'), 1073741824000n);
  assert.equal(parseQuantity('1e3'), 1000000n);
  assert.equal(parseQuantity('1.5k'), 1500000n);
  assert.equal(parseQuantity('0.1m'), 1n, 'rounded up to 1m');
  assert.equal(parseQuantity('100n'), 1n);
  assert.equal(parseQuantity('-2'), -2000n);
  assert.equal(parseQuantity('10Ki'), 10240000n);
  for (const bad of ['', 'abc', '1Gb', '1 Gi', 'm', null, undefined, {}, NaN]) assert.equal(parseQuantity(bad), undefined, String(bad));
});

test('formatQuantity: canonical text per format', () => {
  assert.equal(formatQuantity(1500n), '1500m');
  assert.equal(formatQuantity(2000n), '2');
  assert.equal(formatQuantity(1000000n), '1k');
  assert.equal(formatQuantity(1500000n), '1500');
  assert.equal(formatQuantity(0n), '0');
  assert.equal(formatQuantity(-500n), '-500m');
  assert.equal(formatQuantity(1073741824000n, 'BinarySI'), '1Gi');
  assert.equal(formatQuantity(1610612736000n, 'BinarySI'), '1536Mi');
  assert.equal(formatQuantity(1000000n, 'BinarySI'), '1k', 'below 1024 binary prints decimal');
  assert.equal(formatQuantity(500n, 'BinarySI'), '500m');
  assert.equal(formatQuantity(1000000n, 'DecimalExponent'), '1e3');
  assert.equal(formatQuantity(129000000000n, 'DecimalExponent'), '129e6');
  assert.equal(quantityFormat('1Gi'), 'BinarySI');
  assert.equal(quantityFormat('1e3'), 'DecimalExponent');
  assert.equal(quantityFormat('5'), 'DecimalSI');
});

test('canonical text round-trips like upstream', () => {
  const cases: Array<[unknown, string]> = [
    ['4', '4'], ['5Gi', '5Gi'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['0.5Gi', '512Mi'], ['500m', '500m'], ['1000m', '1'],
    ['0.5', '500m'], [1000, '1k'], [1500, '1500'], ['129e6', '129e6'], ['1e3', '1e3'], ['0.1', '100m'], ['10', '10'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantityText(input), want, String(input));
});
