import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate } from '../testing/store-sim.js';
import { endpoints } from './index.js';
import { formatEndpoints } from './table.js';

const ep = (subsets: unknown[]): KubeObject => ({ metadata: { name: 'nginx-service' }, subsets });

test('protocol default and validation', async () => {
  const { obj, errors } = await simulateCreate(endpoints, ep([{ addresses: [{ ip: '10.244.1.2' }], ports: [{ port: 80 }] }]));
  assert.deepEqual(errors, []);
  assert.equal(obj.subsets[0].ports[0].protocol, 'TCP');
  const bad = await simulateCreate(endpoints, ep([{ addresses: [{ ip: 'nope' }], ports: [{ port: 0 }, { port: 81 }] }, {}]));
  const text = fields(bad.errors);
  assert.ok(text.includes('subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  assert.ok(text.includes('subsets[0].ports[0].name: Required value'));
  assert.ok(text.includes('subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'));
  assert.ok(text.includes('subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`'));
  assert.equal(endpoints.strategy.allowCreateOnUpdate, true);
});

test('ENDPOINTS column: at most three, then "+ N more..."', () => {
  assert.equal(formatEndpoints(ep([])), '<none>');
  const addrs = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.244.${i + 1}.2` }));
  assert.equal(formatEndpoints(ep([{ addresses: addrs(2), ports: [{ port: 80 }] }])), '10.244.1.2:80,10.244.2.2:80');
  assert.equal(formatEndpoints(ep([{ addresses: addrs(4), ports: [{ port: 80 }] }])), '10.244.1.2:80,10.244.2.2:80,10.244.3.2:80 + 1 more...');
  assert.equal(formatEndpoints(ep([{ addresses: addrs(1) }])), '10.244.1.2');
});
