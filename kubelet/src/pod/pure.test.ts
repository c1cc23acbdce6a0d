// Unit tests of the kubelet's pure pieces: back-off sequence (production defaults, fake
// clock), $(VAR) expansion, command/args rules, DNS files, phase computation, flags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '@k8ts/shared/testing/fake-clock';
import { parseKubeletFlags, FlagError } from '../flags.js';
import { resolveCommand } from './command.js';
import { CrashBackoff, DEFAULT_CRASH_BACKOFF } from './crash-backoff.js';
import { podDnsConfig, renderEtcHosts, renderResolvConf } from './dns.js';
import { expand } from './expansion.js';
import { computePhase } from './pod-status.js';
import { goDuration } from './pod-workers.js';
import { bytes, ceilDiv, cpuMillis } from './quantity.js';

test('CrashBackoff: first restart immediate, then 10s, 20s, 40s … capped at 5m; reset', () => {
  const clock = new FakeClock(0);
  const b = new CrashBackoff({ ...DEFAULT_CRASH_BACKOFF, clock });
  const key = 'uid/c';
  assert.equal(b.inBackoff(key, clock.now()), false); // first crash: restart at once
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    delays.push(b.next(key));
    const finishedAt = clock.now();
    assert.equal(b.inBackoff(key, finishedAt), true);
    clock.advance(delays[i]! - 1);
    assert.equal(b.inBackoff(key, finishedAt), true);
    clock.advance(1);
    assert.equal(b.inBackoff(key, finishedAt), false);
  }
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  assert.deepEqual(delays.map(goDuration), ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s', '5m0s']);
  b.reset(key);
  assert.equal(b.next(key), 10_000);
  // untouched for 2 × max → forgotten
  clock.advance(600_001);
  assert.equal(b.next(key), 10_000);
});

test('$(VAR) expansion follows upstream', () => {
  const lookup = (n: string) => ({ A: 'x', B: 'y' } as Record<string, string>)[n];
  assert.equal(expand('$(A)-$(B)', lookup), 'x-y');
  assert.equal(expand('$(C)', lookup), '$(C)');
  assert.equal(expand('$$(A)', lookup), '$(A)');
  assert.equal(expand('$$', lookup), '$');
  assert.equal(expand('a$b', lookup), 'a$b');
  assert.equal(expand('$(A', lookup), '$(A');
  assert.equal(expand('end$', lookup), 'end$');
});

test('command/args vs image Entrypoint/Cmd', () => {
  const img = { entrypoint: ['/ep'], cmd: ['c1'], env: [] };
  const none = () => undefined;
  assert.deepEqual(resolveCommand({}, img, none), { command: ['/ep'], args: ['c1'] });
  assert.deepEqual(resolveCommand({ command: ['/x'] }, img, none), { command: ['/x'], args: [] });
  assert.deepEqual(resolveCommand({ args: ['a'] }, img, none), { command: ['/ep'], args: ['a'] });
  assert.deepEqual(resolveCommand({ command: ['/x'], args: ['a'] }, img, none), { command: ['/x'], args: ['a'] });
  assert.deepEqual(resolveCommand({}, undefined, none), { command: [], args: [] });
});

test('DNS: ClusterFirst resolv.conf, dnsConfig merge, hosts file', () => {
  const pod: any = { metadata: { name: 'p', namespace: 'ns1' }, spec: { dnsPolicy: 'ClusterFirst' } };
  const s = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' };
  assert.equal(renderResolvConf(podDnsConfig(pod, s)!), 'search ns1.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  pod.spec.dnsConfig = { nameservers: ['1.1.1.1'], searches: ['x.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] };
  assert.deepEqual(podDnsConfig(pod, s), { servers: ['10.96.0.10', '1.1.1.1'], searches: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'x.local'], options: ['ndots:2', 'edns0'] });
  const none: any = { metadata: { name: 'p', namespace: 'n' }, spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['9.9.9.9'] } } };
  assert.deepEqual(podDnsConfig(none, s), { servers: ['9.9.9.9'], searches: [], options: [] });
  const hostNet: any = { metadata: { name: 'p', namespace: 'n' }, spec: { dnsPolicy: 'ClusterFirst', hostNetwork: true } };
  assert.equal(podDnsConfig(hostNet, s), undefined); // node's resolv.conf
  const hosts = renderEtcHosts({ metadata: { name: 'web-0', namespace: 'd' }, spec: { hostname: 'web-0', subdomain: 'web', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }] } } as any, '10.244.1.5', 'cluster.local');
  assert.match(hosts, /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n/);
  assert.match(hosts, /\n10\.244\.1\.5\tweb-0\.web\.d\.svc\.cluster\.local\tweb-0\n/);
  assert.match(hosts, /# Entries added by HostAliases\.\n1\.2\.3\.4\ta\tb\n$/);
});

test('phase as upstream getPhase computes it', () => {
  const run = { state: { running: {} } };
  const ok = { state: { terminated: { exitCode: 0 } } };
  const bad = { state: { terminated: { exitCode: 1 } } };
  const crashLoop = { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
  const creating = { state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
  assert.equal(computePhase({ restartPolicy: 'Always' }, [], [run]), 'Running');
  assert.equal(computePhase({ restartPolicy: 'Always' }, [], [creating]), 'Pending');
  assert.equal(computePhase({ restartPolicy: 'Always' }, [], [crashLoop]), 'Running');
  assert.equal(computePhase({ restartPolicy: 'Always' }, [], [ok]), 'Running');
  assert.equal(computePhase({ restartPolicy: 'Never' }, [], [ok]), 'Succeeded');
  assert.equal(computePhase({ restartPolicy: 'Never' }, [], [ok, bad]), 'Failed');
  assert.equal(computePhase({ restartPolicy: 'Never' }, [], [ok, run]), 'Running');
  assert.equal(computePhase({ restartPolicy: 'OnFailure' }, [], [ok]), 'Succeeded');
  assert.equal(computePhase({ restartPolicy: 'OnFailure' }, [], [crashLoop]), 'Running');
  assert.equal(computePhase({ restartPolicy: 'Never' }, [bad], [creating]), 'Failed');
  assert.equal(computePhase({ restartPolicy: 'Always' }, [crashLoop], [creating]), 'Pending');
  assert.equal(computePhase({ restartPolicy: 'Always' }, [ok], [run]), 'Running');
});

test('quantities', () => {
  assert.equal(cpuMillis('500m'), 500);
  assert.equal(cpuMillis('2'), 2000);
  assert.equal(cpuMillis('0.1'), 100);
  assert.equal(bytes('128Mi'), 128 * 1024 * 1024);
  assert.equal(bytes('1G'), 1e9);
  assert.equal(bytes('1e3'), 1000);
  assert.equal(bytes('abc'), undefined);
  assert.equal(bytes('1.5Ki'), 1536);
  assert.equal(bytes('0.1'), 1); // rounded up, as upstream's Value()
  assert.equal(cpuMillis('0.0001'), 1);
  assert.equal(cpuMillis(2), 2000);
  assert.equal(ceilDiv(7n, 2n), 4n);
  assert.equal(ceilDiv(8n, 2n), 4n);
});

test('kubelet flags: defaults, parsing, errors', () => {
  const f = parseKubeletFlags(['--kubeconfig=/k', '--hostname-override', 'Node-1', '--register-with-taints=a=b:NoSchedule,c:NoExecute', '--node-labels=x=1,y=2', '--node-status-update-frequency=5s', '--pod-cidr=10.244.3.0/24']);
  assert.equal(f.nodeName, 'node-1');
  assert.equal(f.healthzPort, 10248);
  assert.equal(f.port, 10250);
  assert.deepEqual(f.clusterDNS, ['10.96.0.10']);
  assert.equal(f.clusterDomain, 'cluster.local');
  assert.equal(f.maxPods, 110);
  assert.equal(f.nodeLeaseDurationSeconds, 40);
  assert.equal(f.nodeStatusUpdateFrequencyMs, 5000);
  assert.equal(f.podCIDR, '10.244.3.0/24');
  assert.deepEqual(f.registerWithTaints, [{ key: 'a', value: 'b', effect: 'NoSchedule' }, { key: 'c', effect: 'NoExecute' }]);
  assert.deepEqual(f.nodeLabels, { x: '1', y: '2' });
  assert.throws(() => parseKubeletFlags(['--nope=1']), FlagError);
  assert.throws(() => parseKubeletFlags(['--register-with-taints=a:Sometimes']), FlagError);
  assert.throws(() => parseKubeletFlags(['--max-pods=x']), FlagError);
  assert.equal(f.maxParallelPodStarts, 4);
  assert.equal(parseKubeletFlags(['--max-parallel-pod-starts=16']).maxParallelPodStarts, 16);
  assert.throws(() => parseKubeletFlags(['--max-parallel-pod-starts=0']), FlagError);
});
