import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupVersionKey, kindSchemaName, operationGroupVersion, schemaPackage, tagName, urlPrefix } from './names.js';

test('group-version keys and URL prefixes', () => {
  assert.equal(groupVersionKey('', 'v1'), 'api/v1');
  assert.equal(groupVersionKey('apps', 'v1'), 'apis/apps/v1');
  assert.equal(urlPrefix('coordination.k8s.io', 'v1'), '/apis/coordination.k8s.io/v1');
});

test('operationId group-versions and tags follow upstream', () => {
  assert.equal(operationGroupVersion('', 'v1'), 'CoreV1');
  assert.equal(operationGroupVersion('apps', 'v1'), 'AppsV1');
  assert.equal(operationGroupVersion('coordination.k8s.io', 'v1'), 'CoordinationV1');
  assert.equal(operationGroupVersion('rbac.authorization.k8s.io', 'v1'), 'RbacAuthorizationV1');
  assert.equal(operationGroupVersion('flowcontrol.apiserver.k8s.io', 'v1beta3'), 'FlowcontrolApiserverV1beta3');
  assert.equal(tagName('', 'v1'), 'core_v1');
  assert.equal(tagName('rbac.authorization.k8s.io', 'v1'), 'rbacAuthorization_v1');
  assert.equal(tagName('apps', 'v1'), 'apps_v1');
});

test('component names of kinds', () => {
  assert.equal(kindSchemaName('', 'v1', 'Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(kindSchemaName('apps', 'v1', 'Deployment'), 'io.k8s.api.apps.v1.Deployment');
  assert.equal(kindSchemaName('coordination.k8s.io', 'v1', 'Lease'), 'io.k8s.api.coordination.v1.Lease');
  assert.equal(kindSchemaName('rbac.authorization.k8s.io', 'v1', 'Role'), 'io.k8s.api.rbac.v1.Role');
  assert.equal(schemaPackage('apiextensions.k8s.io'), 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions');
  assert.equal(kindSchemaName('stable.example.com', 'v1', 'CronTab'), 'com.example.stable.v1.CronTab');
});
