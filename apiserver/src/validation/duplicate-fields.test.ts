import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateFields, scanJsonKeys } from './duplicate-fields.js';

test('finds duplicate keys with upstream-style paths, in document order', () => {
  const raw = `{
    "metadata": {"name": "a", "name": "b", "labels": {"x": "1", "x": "2"}},
    "spec": {
      "paused": true, "paused": false,
      "template": {"spec": {"containers": [
        {"name": "c0"},
        {"name": "c1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}
      ]}}
    }
  }`;
  assert.deepEqual(findDuplicateFields(raw), [
    'metadata.name',
    'metadata.labels.x',
    'spec.paused',
    'spec.template.spec.containers[1].imagePullPolicy',
  ]);
});

test('same key in different objects or array elements is not a duplicate', () => {
  assert.deepEqual(findDuplicateFields('{"a":{"x":1},"b":{"x":1},"l":[{"x":1},{"x":2}]}'), []);
});

test('strings containing braces, quotes, commas and escaped keys do not confuse the scan', () => {
  const raw = '{"a":"{\\"a\\":1,}","b":["]","[",{"c":"\\\\"}],"k\\u0065y":1,"key":2}';
  assert.deepEqual(JSON.parse(raw).key, 2);
  assert.deepEqual(findDuplicateFields(raw), ['key']);
  assert.deepEqual(scanJsonKeys(raw).map((k) => k.path), ['a', 'b', 'b[2].c', 'key', 'key']);
});

test('nested arrays are indexed', () => {
  assert.deepEqual(scanJsonKeys('[[{"a":1}],[{"b":1},{"c":1,"c":2}]]'), [
    { path: '[0][0].a', duplicate: false },
    { path: '[1][0].b', duplicate: false },
    { path: '[1][1].c', duplicate: false },
    { path: '[1][1].c', duplicate: true },
  ]);
});

test('malformed input never throws', () => {
  assert.deepEqual(findDuplicateFields('{"a":1,"a'), []);
  assert.deepEqual(findDuplicateFields(''), []);
  assert.deepEqual(findDuplicateFields('}}]]'), []);
});
