import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJsonPointer, parseArrayIndex, parseJsonPointer } from './json-pointer.js';

test('parse and format JSON pointers (RFC 6901)', () => {
  assert.deepEqual(parseJsonPointer(''), []);
  assert.deepEqual(parseJsonPointer('/'), ['']);
  assert.deepEqual(parseJsonPointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
  assert.equal(parseJsonPointer('a'), undefined);
  assert.equal(parseJsonPointer('/a~'), undefined);
  assert.equal(parseJsonPointer('/a~2'), undefined);
  assert.equal(formatJsonPointer(['a/b', 'c~d', '~1']), '/a~1b/c~0d/~01');
  assert.equal(formatJsonPointer([]), '');
});

test('array indices', () => {
  assert.equal(parseArrayIndex('0'), 0);
  assert.equal(parseArrayIndex('12'), 12);
  for (const bad of ['01', '-1', '-', '1.5', '', ' 1']) assert.equal(parseArrayIndex(bad), undefined, bad);
});
