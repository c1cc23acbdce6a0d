import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, humanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('humanDuration follows upstream HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-5 * s, '<invalid>'], [-1 * s, '0s'], [0, '0s'], [5 * s, '5s'], [119 * s, '119s'],
    [2 * m, '2m'], [3 * m + 2 * s, '3m2s'], [9 * m + 59 * s, '9m59s'], [10 * m + 30 * s, '10m'],
    [179 * m, '179m'], [3 * h, '3h'], [5 * h + 10 * m, '5h10m'], [8 * h, '8h'], [47 * h, '47h'],
    [2 * d, '2d'], [3 * d + 4 * h, '3d4h'], [8 * d, '8d'], [400 * d, '400d'], [730 * d, '2y'],
    [800 * d, '2y70d'], [9 * 365 * d, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('ageSince: unknown for missing or bad timestamps', () => {
  const now = new Date('2024-01-01T00:05:00Z');
  assert.equal(ageSince('2024-01-01T00:00:00Z', now), '5m');
  assert.equal(ageSince(undefined, now), '<unknown>');
  assert.equal(ageSince('garbage', now), '<unknown>');
});
