// Real iptables, inside throwaway network namespaces (never the host's tables).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canUseNetns, nodeAndPod } from '../testing/netns.js';
import { RuleApplier } from './apply.js';
import type { ServicePortRule } from '../rules/service-model.js';

const skip = canUseNetns();

describe('RuleApplier against the kernel', { skip }, () => {
  let env: ReturnType<typeof nodeAndPod>;
  before(() => {
    env = nodeAndPod();
    env.pod.spawn(['node', '-e', "require('http').createServer((q,s)=>s.end('pod-ok')).listen(8080)"]);
  });
  after(() => env?.destroy());

  const web = (endpoints: ServicePortRule['endpoints']): ServicePortRule => ({
    name: 'default/web', namespace: 'default', service: 'web', clusterIP: '10.96.0.50', port: 80, protocol: 'TCP', nodePort: 32600, endpoints,
  });
  const curl = (url: string) => env.node.exec(['curl', '-s', '--max-time', '3', url], { allowFail: true });

  it('ClusterIP and NodePort reach the pod; no endpoints → refused at once; stale chains removed; jumps not duplicated', async () => {
    const applier = new RuleApplier(env.node.runner);
    await applier.apply([web([{ ip: env.podIP, port: 8080 }])], { clusterCIDR: '10.244.0.0/16' });
    let body = '';
    for (let i = 0; i < 50 && body !== 'pod-ok'; i++) { body = curl('http://10.96.0.50/'); if (body !== 'pod-ok') await new Promise((r) => setTimeout(r, 100)); }
    assert.equal(body, 'pod-ok');
    assert.equal(curl(`http://${env.nodeIP}:32600/`), 'pod-ok');
    assert.equal(curl('http://127.0.0.1:32600/'), 'pod-ok', 'NodePort on localhost');
    const chainsBefore = env.node.exec(['iptables-save', '-t', 'nat']).split('\n').filter((l) => /^:KUBE-(SVC|SEP)-/.test(l));
    assert.equal(chainsBefore.length, 2);

    // endpoints gone: REJECT answers at once (curl exit 7, connection refused) instead of a timeout
    await applier.apply([web([])], { clusterCIDR: '10.244.0.0/16' });
    assert.match(curl('http://10.96.0.50/'), /^EXIT 7/);
    const natAfter = env.node.exec(['iptables-save', '-t', 'nat']);
    assert.ok(!/^:KUBE-(SVC|SEP)-/m.test(natAfter), 'per-service chains were not removed');

    // a fresh applier (a restarted kube-proxy) finds stale chains from the kernel
    await applier.apply([web([{ ip: env.podIP, port: 8080 }])], { clusterCIDR: '10.244.0.0/16' });
    const restarted = new RuleApplier(env.node.runner);
    await restarted.apply([], { clusterCIDR: '10.244.0.0/16' });
    assert.ok(!/^:KUBE-(SVC|SEP)-/m.test(env.node.exec(['iptables-save', '-t', 'nat'])));
    const jumps = env.node.exec(['iptables-save']).split('\n').filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) .*-j KUBE-/.test(l));
    assert.equal(jumps.length, 9, jumps.join('\n'));
  });

  it('a rule set iptables refuses leaves the previous rules in place', async () => {
    const applier = new RuleApplier(env.node.runner);
    await applier.apply([web([{ ip: env.podIP, port: 8080 }])], { clusterCIDR: '10.244.0.0/16' });
    const bad = { ...web([{ ip: env.podIP, port: 8080 }]), clusterIP: '10.96.0.999' };
    await assert.rejects(applier.apply([bad], { clusterCIDR: '10.244.0.0/16' }), /iptables-restore/);
    assert.equal(curl('http://10.96.0.50/'), 'pod-ok');
  });
});
