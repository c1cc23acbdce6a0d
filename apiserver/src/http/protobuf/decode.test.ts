// Protobuf bodies captured from kubectl 1.33 (`kubectl create ...` against a recording
// server), decoded to the JSON the same commands send with kubectl ≤ 1.31.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '@k8ts/shared';
import { decodeProtobufBody } from './decode.js';

const body = (b64: string) => Buffer.from(b64, 'base64');

test('kubectl create namespace / configmap / secret', () => {
  assert.deepEqual(decodeProtobufBody(body('azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDbnMxEgAaACIAKgAyADgAQgASABoCCgAaACIA')),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
  assert.deepEqual(decodeProtobufBody(body('azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiAKFgoDY20xEgAaA25zMSIAKgAyADgAQgASBgoBYRIBYhoAIgA=')),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1', namespace: 'ns1' }, data: { a: 'b' } });
  assert.deepEqual(decodeProtobufBody(body('azhzAAoMCgJ2MRIGU2VjcmV0EiIKFQoCczESABoDbnMxIgAqADIAOABCABIHCgJwdxIBeBoAGgAiAA==')),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'ns1' }, data: { pw: 'eA==' } });
});

test('kubectl create deployment --replicas=0 --port=80 -- sleep 100', () => {
  const d = decodeProtobufBody(body('azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EscBCiIKA3dlYhIAGgNuczEiACoAMgA4AEIAWgoKA2FwcBIDd2ViEpIBCAASDAoKCgNhcHASA3dlYhp4ChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElgSOgoFbmdpbngSBW5naW54GgVzbGVlcBoDMTAwKgAyCgoAEAAYUCIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA='));
  assert.deepEqual(d, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns1', labels: { app: 'web' } },
    spec: {
      replicas: 0, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', command: ['sleep', '100'], ports: [{ containerPort: 80 }] }] } },
    },
  });
});

test('kubectl create service nodeport / quota', () => {
  assert.deepEqual(decodeProtobufBody(body('azhzAAoNCgJ2MRIHU2VydmljZRJuCiQKBHN2YzESABoDbnMxIgAqADIAOABCAFoLCgNhcHASBHN2YzESQgobCgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgAEgsKA2FwcBIEc3ZjMRoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA')), {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1', namespace: 'ns1', labels: { app: 'svc1' } },
    spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc1' }, type: 'NodePort' },
  });
  assert.deepEqual(decodeProtobufBody(body('azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJAChUKAnExEgAaA25zMSIAKgAyADgAQgASJQoLCgRwb2RzEgMKATIKFgoMcmVxdWVzdHMuY3B1EgYKBDUwMG0aABoAIgA=')), {
    apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q1', namespace: 'ns1' }, spec: { hard: { pods: '2', 'requests.cpu': '500m' } },
  });
});

test('bad bodies: no envelope, truncated, unsupported kinds or fields', () => {
  const err = (b: Buffer) => {
    try { decodeProtobufBody(b); } catch (e) { assert.ok(isStatusError(e)); return `${e.status.code} ${e.status.message}`; }
    assert.fail('accepted');
  };
  assert.match(err(Buffer.from('{"kind":"x"}')), /^400 .*envelope prefix/);
  assert.match(err(body('azhzAAoPCgJ2MRIJTmFtZXNw')), /^400 the protobuf body is malformed/);
  // apiVersion v1, kind Endpoint (no such message here)
  const other = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x0e, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x08, ...Buffer.from('Endpoint')])]);
  assert.match(err(other), /^415 .*v1\/Endpoint bodies are not supported/);
  // a Namespace whose field 9 (unknown here) carries data
  const ns = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, ...Buffer.from('Namespace'), 0x12, 0x03, 0x4a, 0x01, 0x78])]);
  assert.match(err(ns), /^415 .*field 9 of Namespace/);
});
