import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseControllerManagerFlags, parseDuration } from './flags.js';
import { CONTROLLERS, enabledControllers } from './controllers/index.js';
import type { ControllerDescriptor } from './controllers/types.js';

describe('controller-manager flags', () => {
  it('defaults to upstream values', () => {
    const f = parseControllerManagerFlags([]);
    assert.equal(f.leaderElect, true);
    assert.equal(f.leaseDurationMs, 15_000);
    assert.equal(f.renewDeadlineMs, 10_000);
    assert.equal(f.retryPeriodMs, 2_000);
    assert.equal(f.leaderElectionNamespace, 'kube-system');
    assert.equal(f.leaderElectionName, 'kube-controller-manager');
    assert.equal(f.port, 10257);
    assert.equal(f.bindAddress, '127.0.0.1');
    assert.deepEqual(f.controllers, ['*']);
    assert.equal(f.concurrentNamespaceSyncs, 10);
  });

  it('parses every flag in both --a=b and --a b forms', () => {
    const f = parseControllerManagerFlags([
      '--kubeconfig', '/s/cm.kubeconfig', '--leader-elect=false', '--leader-elect-lease-duration=1m30s',
      '--leader-elect-renew-deadline', '20s', '--leader-elect-retry-period=500ms', '--port=0',
      '--controllers=*,-namespace', '--concurrent-namespace-syncs=2', '--master=https://127.0.0.1:6443',
    ]);
    assert.equal(f.kubeconfig, '/s/cm.kubeconfig');
    assert.equal(f.master, 'https://127.0.0.1:6443');
    assert.equal(f.leaderElect, false);
    assert.equal(f.leaseDurationMs, 90_000);
    assert.equal(f.renewDeadlineMs, 20_000);
    assert.equal(f.retryPeriodMs, 500);
    assert.equal(f.port, 0);
    assert.deepEqual(f.controllers, ['*', '-namespace']);
    assert.equal(f.concurrentNamespaceSyncs, 2);
    assert.equal(parseControllerManagerFlags(['--leader-elect']).leaderElect, true);
  });

  it('rejects unknown flags and malformed values', () => {
    assert.throws(() => parseControllerManagerFlags(['--bogus=1']), (e: unknown) => e instanceof FlagError && /unknown flag: --bogus/.test(e.message));
    assert.throws(() => parseControllerManagerFlags(['--leader-elect=maybe']), /invalid value "maybe" for --leader-elect/);
    assert.throws(() => parseControllerManagerFlags(['--leader-elect-lease-duration=15']), /invalid duration "15"/);
    assert.throws(() => parseControllerManagerFlags(['--port=70000']), /--port/);
    assert.throws(() => parseControllerManagerFlags(['stray']), /unexpected argument/);
  });

  it('parses Go durations', () => {
    assert.equal(parseDuration('15s'), 15_000);
    assert.equal(parseDuration('2.5s'), 2_500);
    assert.equal(parseDuration('1h2m3s4ms'), 3_723_004);
    assert.equal(parseDuration('0'), 0);
    assert.throws(() => parseDuration('s'), FlagError);
    assert.throws(() => parseDuration('10x'), FlagError);
  });
});

describe('--controllers selection', () => {
  const table: ControllerDescriptor[] = [
    { name: 'namespace', enabledByDefault: true, init: () => { throw new Error('unused'); } },
    { name: 'optin', enabledByDefault: false, init: () => { throw new Error('unused'); } },
  ];
  const names = (spec: string[]) => enabledControllers(spec, table).map((c) => c.name);

  it('follows upstream: * = on by default, foo enables, -foo disables', () => {
    assert.deepEqual(names(['*']), ['namespace']);
    assert.deepEqual(names(['*', 'optin']), ['namespace', 'optin']);
    assert.deepEqual(names(['*', '-namespace']), []);
    assert.deepEqual(names(['optin']), ['optin']);
    assert.deepEqual(names(['-namespace', 'namespace']), []);
  });

  it('refuses unknown controller names', () => {
    assert.throws(() => names(['*', 'nope']), /"nope" is not a known controller/);
  });

  it('the real table has the upstream controllers on by default', () => {
    const on = enabledControllers(['*'], CONTROLLERS).map((c) => c.name);
    for (const name of ['namespace', 'replicaset', 'replicationcontroller', 'garbagecollector', 'deployment']) assert.ok(on.includes(name), name);
  });

  it('the real table has the namespace and node controllers on by default', () => {
    const on = enabledControllers(['*'], CONTROLLERS).map((c) => c.name);
    for (const n of ['namespace', 'endpoint', 'nodelifecycle', 'taint-eviction-controller', 'nodeipam', 'podgc']) assert.ok(on.includes(n), n);
  });

  it('accepts upstream long names as aliases', () => {
    const on = (spec: string[]) => enabledControllers(spec, CONTROLLERS).map((c) => c.name);
    assert.deepEqual(on(['endpoints-controller', 'node-lifecycle-controller']), ['endpoint', 'nodelifecycle']);
    assert.ok(!on(['*', '-endpoints']).includes('endpoint'));
  });

  it('parses the node controller flags with upstream defaults', () => {
    const d = parseControllerManagerFlags([]);
    assert.equal(d.nodeMonitorGracePeriodMs, 50_000);
    assert.equal(d.nodeMonitorPeriodMs, 5_000);
    assert.equal(d.nodeStartupGracePeriodMs, 60_000);
    assert.equal(d.clusterCIDR, '10.244.0.0/16');
    assert.equal(d.nodeCIDRMaskSize, 24);
    assert.equal(d.allocateNodeCIDRs, true);
    assert.equal(d.terminatedPodGCThreshold, 12_500);
    const f = parseControllerManagerFlags(['--node-monitor-grace-period=2s', '--node-monitor-period', '500ms', '--cluster-cidr=10.100.0.0/16',
      '--node-cidr-mask-size=26', '--allocate-node-cidrs=false', '--terminated-pod-gc-threshold=0', '--node-eviction-rate=2.5']);
    assert.equal(f.nodeMonitorGracePeriodMs, 2_000);
    assert.equal(f.nodeMonitorPeriodMs, 500);
    assert.equal(f.clusterCIDR, '10.100.0.0/16');
    assert.equal(f.nodeCIDRMaskSize, 26);
    assert.equal(f.allocateNodeCIDRs, false);
    assert.equal(f.terminatedPodGCThreshold, 0);
    assert.equal(f.nodeEvictionRate, 2.5);
    assert.throws(() => parseControllerManagerFlags(['--cluster-cidr=10.0.0.0']), /--cluster-cidr/);
    assert.throws(() => parseControllerManagerFlags(['--cluster-cidr=10.0.0.0/24', '--node-cidr-mask-size=16']), /does not fit/);
  });

  it('the real table has the resourcequota controller on by default', () => {
    assert.ok(enabledControllers(['*'], CONTROLLERS).map((c) => c.name).includes('resourcequota'));
  });
});
