import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { secrets } from './index.js';

test('type defaults to Opaque; stringData is folded into data and removed', async () => {
  const { obj, errors } = await simulateCreate(secrets, {
    metadata: { name: 'db-credentials' },
    data: { DB_HOST: 'bG9jYWxob3N0', DB_USER: 'b2xk' },
    stringData: { DB_USER: 'admin', DB_PORT: '5432' },
  });
  assert.deepEqual(errors, []);
  assert.equal(obj.type, 'Opaque');
  assert.equal(obj.stringData, undefined);
  assert.deepEqual(obj.data, { DB_HOST: 'bG9jYWxob3N0', DB_USER: 'YWRtaW4=', DB_PORT: 'NTQzMg==' });
  assert.deepEqual(secrets.table.cells(obj, new Date('2024-01-01T00:00:03Z')), ['db-credentials', 'Opaque', 3, '3s']);
  assert.equal(secrets.fieldSelectors!.type!(obj), 'Opaque');
});

test('typed secrets need their keys; type is immutable', async () => {
  const tls = await simulateCreate(secrets, { metadata: { name: 't' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } });
  assert.deepEqual(fields(tls.errors), ['data[tls.key]: Required value']);
  const docker = await simulateCreate(secrets, { metadata: { name: 'd' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'not json' } });
  assert.equal(docker.errors.length, 1);
  assert.equal(docker.errors[0]!.field, 'data[.dockerconfigjson]');
  const created = (await simulateCreate(secrets, { metadata: { name: 's' }, data: { a: 'eA==' } })).obj;
  const next = { ...structuredClone(created), type: 'kubernetes.io/basic-auth' };
  assert.ok(fields((await simulateUpdate(secrets, next, created)).errors).includes('type: Invalid value: "kubernetes.io/basic-auth": field is immutable'));
});
