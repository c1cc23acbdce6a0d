import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './logger.js';
import { ExponentialRateLimiter } from './rate-limiter.js';
import { runWorkers } from './run-workers.js';
import { FakeClock, flush } from './testing/fake-clock.js';
import { WorkQueue } from './workqueue.js';

const silent = createLogger('test', 'silent');

describe('WorkQueue', () => {
  it('collapses repeated adds of a queued key and keeps FIFO order', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('c');
    q.add('b');
    assert.equal(q.len(), 3);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), 'c');
    assert.equal(q.len(), 0);
  });

  it('never hands a key being processed to another worker; re-adds queue it once after done()', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const first = await q.get();
    assert.equal(first, 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 're-added key waits for done()');
    // A second worker waiting now must not receive 'a'.
    let second: string | undefined | null = null;
    const pending = q.get().then((k) => { second = k; });
    await flush();
    assert.equal(second, null);
    q.done('a');
    await pending;
    assert.equal(second, 'a', 'handed out again exactly once after done()');
    assert.equal(q.len(), 0);
    q.done('a');
    assert.equal(q.len(), 0);
  });

  it('wakes a waiting get() on add, and each key goes to exactly one waiter', async () => {
    const q = new WorkQueue<string>();
    const got: (string | undefined)[] = [];
    const w1 = q.get().then((k) => got.push(k));
    const w2 = q.get().then((k) => got.push(k));
    q.add('x');
    q.add('y');
    q.add('x');
    await Promise.all([w1, w2]);
    assert.deepEqual(got.sort(), ['x', 'y']);
    assert.equal(q.len(), 0, 'x was processing when re-added, so it waits for done()');
    q.done('x');
    assert.equal(q.len(), 1);
  });

  it('addAfter delays on the injected clock and keeps the earliest deadline', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    q.addAfter('b', 0);
    assert.equal(q.len(), 1, 'zero delay adds immediately');
    clock.advance(49);
    assert.equal(q.len(), 1);
    clock.advance(1);
    assert.equal(q.len(), 2);
    clock.advance(1000);
    assert.equal(q.len(), 2, 'later deadlines were collapsed into the earliest');
    assert.equal(clock.pending(), 0);
  });

  it('addRateLimited backs off per key exponentially (5 ms doubling, capped) until forget()', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, rateLimiter: new ExponentialRateLimiter({ baseMs: 5, maxMs: 30 }) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      q.addRateLimited('k');
      // measure: advance until it becomes available
      let waited = 0;
      while (q.len() === 0 && waited < 100) {
        clock.advance(1);
        waited++;
      }
      delays.push(waited);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [5, 10, 20, 30, 30]);
    assert.equal(q.numRequeues('k'), 5);
    assert.equal(q.numRequeues('other'), 0);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });

  it('default rate limiter: 5 ms doubling to a 1000 s cap', () => {
    const rl = new ExponentialRateLimiter<string>();
    const seq = Array.from({ length: 4 }, () => rl.when('a'));
    assert.deepEqual(seq, [5, 10, 20, 40]);
    for (let i = 0; i < 100; i++) rl.when('a');
    assert.equal(rl.when('a'), 1_000_000);
    assert.equal(rl.when('b'), 5, 'per key');
  });

  it('shutDown resolves pending gets with undefined, drops queued and delayed keys, ignores adds', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    const waiting = [q.get(), q.get()];
    await flush();
    q.shutDown();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
    q.add('a');
    q.addAfter('b', 10);
    assert.equal(q.len(), 0);
    assert.equal(await q.get(), undefined);
    assert.equal(clock.pending(), 0);
    assert.equal(q.shuttingDown(), true);
  });

  it('shutDownWithDrain hands out queued keys, then resolves when processing is done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    const a = await q.get();
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => { drained = true; });
    q.add('c');
    assert.equal(await q.get(), 'b');
    assert.equal(await q.get(), undefined, 'c was refused while draining');
    await flush();
    assert.equal(drained, false, 'a and b still processing');
    q.done(a!);
    q.done('b');
    await drain;
    assert.equal(drained, true);
  });
});

describe('runWorkers', () => {
  it('processes every key, never one key concurrently, retries failures rate-limited and forgets on success', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, rateLimiter: new ExponentialRateLimiter({ baseMs: 10, maxMs: 1000 }) });
    const active = new Set<string>();
    let overlap = false;
    const calls: string[] = [];
    let failuresLeft = 2;
    const gates = new Map<string, () => void>();
    const reconcile = async (key: string): Promise<void> => {
      if (active.has(key)) overlap = true;
      active.add(key);
      calls.push(key);
      try {
        if (key === 'slow') await new Promise<void>((r) => gates.set(key, r));
        if (key === 'flaky' && failuresLeft-- > 0) throw new Error('boom');
      } finally {
        active.delete(key);
      }
    };
    const dispatch = (key: string): Promise<void> | void => {
      if (key === 'sync-throw') throw new TypeError('thrown synchronously');
      return reconcile(key);
    };
    const done = runWorkers(q, 3, dispatch, silent);
    q.add('slow');
    q.add('flaky');
    q.add('ok');
    await flush();
    q.add('slow'); // re-added while processing: must wait
    await flush();
    assert.equal(calls.filter((k) => k === 'slow').length, 1);
    gates.get('slow')!();
    await flush();
    await flush();
    assert.equal(calls.filter((k) => k === 'slow').length, 2, 'processed again after done()');
    gates.get('slow')!();
    // flaky failed once: retried after 10 ms, then after 20 ms, then succeeds.
    assert.equal(q.numRequeues('flaky'), 1);
    clock.advance(10);
    await flush();
    await flush();
    assert.equal(q.numRequeues('flaky'), 2);
    clock.advance(20);
    await flush();
    await flush();
    assert.equal(calls.filter((k) => k === 'flaky').length, 3);
    assert.equal(q.numRequeues('flaky'), 0, 'forgotten after success');
    q.add('sync-throw');
    await flush();
    assert.equal(q.numRequeues('sync-throw'), 1, 'a thrown error is caught and rate-limited');
    assert.equal(overlap, false);
    q.shutDown();
    await done;
  });
});
