// The cache: assume → confirm by the informer, forget after a failed bind, totals kept exact.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeObject, podObject } from '../testing/objects.js';
import { newPodInfo } from '../framework/pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';

const bound = (name: string, node: string, cpu = '1') => {
  const p = podObject(name, { cpu, hostPort: 9000 });
  p.metadata.uid = name;
  p.spec!.nodeName = node;
  return p;
};

describe('SchedulerCache', () => {
  it('accounts an assumed pod at once and keeps it when the informer confirms it', () => {
    const c = new SchedulerCache();
    c.addOrUpdateNode(nodeObject('n1', { cpu: '4' }));
    const info = newPodInfo(podObject('p', { cpu: '1', hostPort: 9000 }));
    c.assumePod(info, 'n1');
    const ni = c.nodeInfo('n1')!;
    assert.equal(ni.reqMilliCPU, 1000);
    assert.ok(ni.portConflicts({ protocol: 'TCP', hostIP: '0.0.0.0', hostPort: 9000 }));
    assert.ok(c.isAssumed('default/p'));
    c.finishBinding('default/p');
    c.addOrUpdatePod(bound('p', 'n1'));
    assert.ok(!c.isAssumed('default/p'));
    assert.equal(ni.reqMilliCPU, 1000);
    assert.equal(ni.pods.size, 1);
    c.forgetPod('default/p'); // confirmed pods are not forgotten
    assert.equal(ni.pods.size, 1);
    c.removePod('default/p');
    assert.equal(ni.reqMilliCPU, 0);
    assert.equal(ni.usedPorts.size, 0);
  });

  it('forgets an assumed pod after a failed bind', () => {
    const c = new SchedulerCache();
    c.addOrUpdateNode(nodeObject('n1'));
    c.assumePod(newPodInfo(podObject('p', { cpu: '1' })), 'n1');
    c.forgetPod('default/p');
    assert.equal(c.nodeInfo('n1')!.reqMilliCPU, 0);
    assert.ok(!c.hasPod('default/p'));
  });

  it('moves a pod the informer reports on another node; keeps pods of a deleted node', () => {
    const c = new SchedulerCache();
    c.addOrUpdateNode(nodeObject('n1'));
    c.addOrUpdateNode(nodeObject('n2'));
    c.assumePod(newPodInfo(podObject('p', { cpu: '1' })), 'n1');
    c.addOrUpdatePod(bound('p', 'n2'));
    assert.equal(c.nodeInfo('n1')!.reqMilliCPU, 0);
    assert.equal(c.nodeInfo('n2')!.reqMilliCPU, 1000);
    c.removeNode('n2');
    assert.deepEqual(c.nodeList().map((n) => n.name), ['n1']);
    c.addOrUpdateNode(nodeObject('n2'));
    assert.equal(c.nodeInfo('n2')!.reqMilliCPU, 1000, 'pods survive their node being deleted and re-added');
  });

  it('tells a pod recreated under the same name (new uid) from the one it holds', () => {
    const c = new SchedulerCache();
    c.addOrUpdateNode(nodeObject('n1'));
    c.addOrUpdatePod(bound('web-0', 'n1'));
    assert.ok(c.hasPodInstance(bound('web-0', 'n1')));
    const again = podObject('web-0');
    again.metadata.uid = 'new-uid';
    assert.ok(!c.hasPodInstance(again), 'the new incarnation must be scheduled');
    c.assumePod(newPodInfo(again), 'n1');
    assert.equal(c.nodeInfo('n1')!.pods.size, 1, 'the old entry is replaced');
  });
});
