// One scheduling cycle with a fake API client: the assumed pod is accounted before the bind
// returns, a failed bind is forgotten and backed off with a Warning event, a vanished pod is
// dropped, and a pod whose spec cannot be interpreted gets a Warning event and the
// PodScheduled=False/SchedulerError condition instead of crashing anything.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, Errors, type ApiClient, type EventRecorder, type KubeObject } from '@k8ts/shared';
import { FakeClock } from '@k8ts/shared/testing/fake-clock';
import { eventually } from '@k8ts/shared/testing/poll';
import { SchedulerMetrics } from './metrics.js';
import { SchedulingLoop } from './scheduling-loop.js';
import { nodeObject, podObject } from './testing/objects.js';

interface Call { kind: 'bind' | 'patch'; name: string; body: any }

function setup(bind: (name: string) => Promise<unknown>) {
  const calls: Call[] = [];
  const events: Array<{ type: string; reason: string; message: string }> = [];
  const client = {
    createSubresource: async (_r: unknown, _ns: string, name: string, _sub: string, body: unknown) => { calls.push({ kind: 'bind', name, body }); return bind(name); },
    patch: async (_r: unknown, _ns: string, name: string, body: unknown) => { calls.push({ kind: 'patch', name, body }); return {}; },
  } as unknown as ApiClient;
  const recorder = { record: (_o: unknown, type: string, reason: string, message: string) => events.push({ type, reason, message }) } as unknown as EventRecorder;
  const metrics = new SchedulerMetrics();
  const clock = new FakeClock();
  const loop = new SchedulingLoop({ client, recorder, metrics, logger: createLogger('t', 'silent'), schedulerName: 'default-scheduler', clock });
  loop.cache.addOrUpdateNode(nodeObject('n1', { cpu: '2' }));
  const schedule = (pod: KubeObject): void => {
    loop.queue.add(pod);
    loop.scheduleOne(loop.queue.tryPop()!);
  };
  return { loop, calls, events, metrics, schedule, clock };
}

const pod = (name: string, cpu = '1'): KubeObject => {
  const p = podObject(name, { cpu });
  p.metadata.uid = `uid-${name}`;
  return p;
};

describe('SchedulingLoop.scheduleOne', () => {
  it('assumes before the bind returns, then records Scheduled', async () => {
    let release!: () => void;
    const { loop, calls, events, metrics, schedule } = setup(() => new Promise<void>((r) => (release = r)));
    schedule(pod('a'));
    assert.ok(loop.cache.isAssumed('default/a'));
    assert.equal(loop.cache.nodeInfo('n1')!.reqMilliCPU, 1000);
    assert.deepEqual(calls[0]!.body, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a', namespace: 'default', uid: 'uid-a' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } });
    // the next pod already sees a's request: 1 cpu left, a 1.5 cpu pod does not fit
    schedule(pod('b', '1500m'));
    assert.equal(events.at(-1)!.message, '0/1 nodes are available: 1 Insufficient cpu.');
    release();
    await eventually(() => events.find((e) => e.reason === 'Scheduled'), 'Scheduled event');
    assert.deepEqual(events.find((e) => e.reason === 'Scheduled'), { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/a to n1' });
    assert.equal(metrics.attempts.get({ result: 'scheduled', profile: 'default-scheduler' }), 1);
    const patch = calls.find((c) => c.kind === 'patch' && c.name === 'b')!;
    assert.equal(patch.body.status.conditions[0].reason, 'Unschedulable');
    assert.equal(loop.queue.where('default/b'), 'unschedulable');
  });

  it('forgets the assumption and backs off when the bind fails', async () => {
    const { loop, events, schedule } = setup(async () => { throw Errors.internal('etcd is down'); });
    schedule(pod('c'));
    await eventually(() => events.find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling');
    assert.equal(events[0]!.type, 'Warning');
    assert.match(events[0]!.message, /^Binding rejected: .*etcd is down/);
    assert.ok(!loop.cache.hasPod('default/c'));
    assert.equal(loop.cache.nodeInfo('n1')!.reqMilliCPU, 0);
    assert.equal(loop.queue.where('default/c'), 'backoff');
  });

  it('drops a pod that disappeared before its bind', async () => {
    const { loop, calls, events, schedule } = setup(async (name) => { throw Errors.notFound('pods', name); });
    schedule(pod('gone'));
    await eventually(() => calls.length === 1 && !loop.cache.hasPod('default/gone'), 'forgotten');
    await new Promise((r) => setImmediate(r));
    assert.equal(loop.queue.where('default/gone'), undefined);
    assert.equal(events.length, 0);
  });

  it('reports a pod it cannot interpret with a Warning event and the SchedulerError condition', async () => {
    const { loop, calls, events, metrics, schedule } = setup(async () => ({}));
    const bad = pod('bad');
    bad.spec!.containers[0].resources.requests.cpu = 'a lot';
    schedule(bad);
    assert.equal(events[0]!.type, 'Warning');
    assert.equal(events[0]!.reason, 'FailedScheduling');
    assert.match(events[0]!.message, /invalid quantity "a lot" for resource "cpu"/);
    await eventually(() => calls.find((c) => c.kind === 'patch'), 'condition patch');
    assert.equal(calls[0]!.body.status.conditions[0].reason, 'SchedulerError');
    assert.equal(loop.queue.where('default/bad'), 'unschedulable');
    assert.equal(metrics.attempts.get({ result: 'error', profile: 'default-scheduler' }), 1);
  });
});
