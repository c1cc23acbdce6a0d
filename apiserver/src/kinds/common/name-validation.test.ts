import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIDR, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isIP, isQualifiedName,
  isValidLabelValue, isValidPortName,
} from './name-validation.js';

test('DNS-1123 subdomains and labels', () => {
  assert.deepEqual(isDNS1123Subdomain('my-app.example.com'), []);
  assert.match(isDNS1123Subdomain('My_App')[0]!, /^a lowercase RFC 1123 subdomain must consist of/);
  assert.match(isDNS1123Subdomain('My_App')[0]!, /\(e\.g\. 'example\.com', regex used for validation is/);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(253)), []);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  assert.deepEqual(isDNS1123Label('nginx-container'), []);
  assert.ok(isDNS1123Label('a.b').length === 1);
  assert.deepEqual(isDNS1123Label('a'.repeat(64))[0], 'must be no more than 63 characters');
  assert.match(isDNS1123Label('-x')[0]!, /\(e\.g\. 'my-name',  or '123-abc', regex used/);
});

test('DNS-1035 labels must start with a letter', () => {
  assert.deepEqual(isDNS1035Label('myapp-service'), []);
  assert.match(isDNS1035Label('1svc')[0]!, /^a DNS-1035 label must consist of/);
});

test('qualified names (label and annotation keys)', () => {
  assert.deepEqual(isQualifiedName('app'), []);
  assert.deepEqual(isQualifiedName('node-role.kubernetes.io/control-plane'), []);
  assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('a/b/c')[0]!, /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/);
  assert.match(isQualifiedName('Bad_Prefix/x')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
  assert.deepEqual(isQualifiedName('a'.repeat(64))[0], 'name part must be no more than 63 characters');
});

test('label values', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('front-end'), []);
  assert.match(isValidLabelValue('bad value')[0]!, /^a valid label must be an empty string or consist of/);
});

test('port names, config keys, env names, IPs, CIDRs', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('nginx-port'), []);
  assert.ok(isValidPortName('a--b').includes('must not contain consecutive hyphens'));
  assert.ok(isValidPortName('1234').includes('must contain at least one letter (a-z)'));
  assert.ok(isValidPortName('this-name-is-too-long').includes('must be no more than 15 characters'));
  assert.deepEqual(isConfigMapKey('LOG_LEVEL'), []);
  assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
  assert.match(isConfigMapKey('a b')[0]!, /^a valid config key must consist of alphanumeric characters/);
  assert.deepEqual(isEnvVarName('DB_USER'), []);
  assert.equal(isEnvVarName('1ABC').length, 1);
  assert.ok(isIP('10.96.0.1') && isIP('2001:db8::1') && isIP('::ffff:10.0.0.1'));
  assert.ok(!isIP('10.96.0.256') && !isIP('abc') && !isIP('1::2::3'));
  assert.ok(isCIDR('10.244.1.0/24') && isCIDR('fd00::/64') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0'));
});
