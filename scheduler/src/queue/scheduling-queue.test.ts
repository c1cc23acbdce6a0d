// The scheduling queue on a fake clock: priority/FIFO order, backoff 1 s doubling to 10 s,
// unschedulable pods moved only by relevant events or after 5 minutes, in-flight updates and
// deletes, and no hot loop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '@k8ts/shared/testing/fake-clock';
import type { KubeObject } from '@k8ts/shared';
import { SchedulingQueue } from './scheduling-queue.js';

const pod = (name: string, priority?: number, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: name }, spec: { containers: [], ...(priority !== undefined ? { priority } : {}), ...extra } });

function setup() {
  const clock = new FakeClock();
  const q = new SchedulingQueue({ clock });
  q.run();
  return { clock, q };
}

describe('SchedulingQueue', () => {
  it('pops by priority, then FIFO', async () => {
    const { clock, q } = setup();
    q.add(pod('a'));
    clock.advance(1);
    q.add(pod('b', 10));
    clock.advance(1);
    q.add(pod('c'));
    q.add(pod('d', 10));
    const order = [];
    for (let i = 0; i < 4; i++) order.push((await q.pop())!.pod.metadata.name);
    assert.deepEqual(order, ['b', 'd', 'a', 'c']);
    q.close();
  });

  it('pop waits for a pod and resolves undefined when closed', async () => {
    const { q } = setup();
    const p = q.pop();
    q.add(pod('late'));
    assert.equal((await p)!.key, 'ns/late');
    const waiting = q.pop();
    q.close();
    assert.equal(await waiting, undefined);
  });

  it('backs off 1 s, 2 s, 4 s … capped at 10 s after errors', () => {
    const { clock, q } = setup();
    q.add(pod('e'));
    const waits: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const info = q.tryPop()!;
      assert.ok(info, `attempt ${attempt}`);
      q.addUnschedulable(info, false);
      assert.equal(q.where('ns/e'), 'backoff');
      let waited = 0;
      while (!q.pendingCounts().active) { clock.advance(500); waited += 500; assert.ok(waited <= 20_000, 'never left backoff'); }
      waits.push(waited);
    }
    // the backoffQ is flushed every second: each wait is the backoff rounded up to a flush tick
    assert.deepEqual(waits.map((w) => Math.ceil(w / 1000)), [1, 2, 4, 8, 10, 10]);
    q.close();
  });

  it('keeps unschedulable pods until a relevant event, then honours their backoff', () => {
    const { clock, q } = setup();
    q.add(pod('u'));
    const info = q.tryPop()!;
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulable(info, true);
    assert.equal(q.where('ns/u'), 'unschedulable');
    clock.advance(60_000);
    assert.equal(q.where('ns/u'), 'unschedulable', 'not retried by time alone within 5 min');
    q.moveAllToActiveOrBackoff({ label: 'NodeUpdate', plugins: new Set(['TaintToleration']) });
    assert.equal(q.where('ns/u'), 'unschedulable', 'an irrelevant event does not move it');
    q.moveAllToActiveOrBackoff({ label: 'AssignedPodDelete', plugins: new Set(['NodeResourcesFit']) });
    assert.equal(q.where('ns/u'), 'active');
    // moved right after failing: it must wait out its backoff first
    const again = q.tryPop()!;
    q.addUnschedulable(again, true);
    q.moveAllToActiveOrBackoff({ label: 'NodeAdd' });
    assert.equal(q.where('ns/u'), 'backoff');
    clock.advance(2_000);
    assert.equal(q.where('ns/u'), 'active');
    q.close();
  });

  it('flushes unschedulable pods after 5 minutes', () => {
    const { clock, q } = setup();
    q.add(pod('stale'));
    q.addUnschedulable(q.tryPop()!, true);
    clock.advance(300_000);
    assert.equal(q.where('ns/stale'), 'unschedulable');
    clock.advance(30_000);
    assert.equal(q.where('ns/stale'), 'active');
    q.close();
  });

  it('an event during the attempt sends the failed pod to backoffQ, not unschedulable', () => {
    const { clock, q } = setup();
    q.add(pod('racy'));
    const info = q.tryPop()!;
    q.moveAllToActiveOrBackoff({ label: 'NodeAdd' });
    q.addUnschedulable(info, true);
    assert.equal(q.where('ns/racy'), 'backoff');
    clock.advance(1_000);
    assert.equal(q.where('ns/racy'), 'active');
    q.close();
  });

  it('an updated unschedulable pod is retried; a deleted in-flight pod is dropped', () => {
    const { q } = setup();
    q.add(pod('upd'));
    q.addUnschedulable(q.tryPop()!, true);
    q.update(pod('upd', 0, { nodeSelector: { a: 'b' } }));
    assert.ok(['active', 'backoff'].includes(q.where('ns/upd')!));
    q.add(pod('gone'));
    while (q.where('ns/gone') !== 'inflight') q.tryPop();
    q.delete('ns/gone');
    const info = { key: 'ns/gone', pod: pod('gone') } as never;
    q.addUnschedulable(info, true);
    assert.equal(q.where('ns/gone'), undefined);
    q.close();
  });

  it('has no hot loop: with nothing happening, a failed pod is attempted a bounded number of times', () => {
    const { clock, q } = setup();
    q.add(pod('loop'));
    let attempts = 0;
    for (let t = 0; t < 600; t++) {
      let info;
      while ((info = q.tryPop())) { attempts++; q.addUnschedulable(info, true); }
      clock.advance(1_000);
    }
    // 10 minutes: the first attempt plus one flush after > 5 min in unschedulable
    assert.ok(attempts <= 3, `${attempts} attempts in 10 minutes`);
    q.close();
  });
});
