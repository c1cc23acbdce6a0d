import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOpenApi } from './openapi-v3.js';
import { answerOpenApiV2, answerOpenApiV3, OPENAPI_V2_PROTOBUF } from './serve.js';
import { allDefs, definitions } from '../validation/test-schemas.js';

const built = buildOpenApi(allDefs, { definitions });
const apps = built.documents.get('apis/apps/v1')!;
const now = new Date('2025-03-01T12:00:00Z');

test('the index, with or without a trailing slash', () => {
  for (const subPath of ['', '/']) {
    const a = answerOpenApiV3(built, { subPath });
    assert.equal(a.status, 200);
    if (a.status !== 200) return;
    assert.equal(a.body, built.indexJson);
    assert.equal(a.headers['Content-Type'], 'application/json');
    assert.equal(a.headers['Cache-Control'], 'no-cache, private');
    assert.match(a.headers['ETag']!, /^"[0-9A-F]{128}"$/);
  }
});

test('a document with its current hash is immutable for a year', () => {
  const a = answerOpenApiV3(built, { subPath: '/apis/apps/v1', hash: apps.hash, now });
  assert.equal(a.status, 200);
  if (a.status !== 200) return;
  assert.equal(a.body, apps.json);
  assert.equal(a.headers['Cache-Control'], 'public, immutable');
  assert.equal(a.headers['Expires'], 'Sun, 01 Mar 2026 12:00:00 GMT');
  assert.equal(a.headers['ETag'], `"${apps.hash}"`);
});

test('without a hash the document is served uncached', () => {
  const a = answerOpenApiV3(built, { subPath: '/apis/apps/v1' });
  assert.equal(a.status, 200);
  if (a.status === 200) assert.equal(a.headers['Cache-Control'], 'no-cache, private');
});

test('a stale hash redirects to the current one', () => {
  const a = answerOpenApiV3(built, { subPath: '/api/v1', hash: 'ABC' });
  assert.deepEqual(a, { status: 301, headers: { Location: `/openapi/v3/api/v1?hash=${built.documents.get('api/v1')!.hash}`, 'Cache-Control': 'no-cache, private' } });
});

test('If-None-Match with the ETag gives 304; unknown group-versions 404', () => {
  const a = answerOpenApiV3(built, { subPath: '/apis/apps/v1', ifNoneMatch: `"x", "${apps.hash}"` });
  assert.equal(a.status, 304);
  assert.deepEqual(answerOpenApiV3(built, { subPath: '/apis/nope/v1' }), { status: 404 });
  assert.deepEqual(answerOpenApiV3(built, { subPath: '/apis/apps' }), { status: 404 });
});

test('/openapi/v2: an empty protobuf document for kubectl 1.27/1.28, empty Swagger JSON otherwise', () => {
  const pb = answerOpenApiV2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
  assert.deepEqual(pb, { status: 200, headers: { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Cache-Control': 'no-cache, private' }, body: '' });
  const json = answerOpenApiV2('application/json', 'v1.30.0');
  assert.equal(json.status, 200);
  if (json.status === 200) assert.deepEqual(JSON.parse(json.body), { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.30.0' }, paths: {}, definitions: {} });
});
