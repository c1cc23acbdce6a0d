import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, exponentialDelay } from './backoff.js';
import { sleep } from './clock.js';
import { FakeClock } from './testing/fake-clock.js';

describe('backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const b = new Backoff({ initialMs: 200, maxMs: 30_000 });
    const seq = Array.from({ length: 10 }, () => b.next());
    assert.deepEqual(seq, [200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
    b.reset();
    assert.equal(b.next(), 200);
  });

  it('jitters within ±jitter/2 and never exceeds the cap', () => {
    const opts = { initialMs: 1000, maxMs: 1500, jitter: 0.5 };
    assert.equal(exponentialDelay(0, { ...opts, random: () => 0 }), 750);
    assert.equal(exponentialDelay(0, { ...opts, random: () => 0.999999 }), 1250);
    assert.equal(exponentialDelay(5, { ...opts, random: () => 0.999999 }), 1500);
    assert.equal(exponentialDelay(5000, { initialMs: 5, maxMs: 100 }), 100, 'huge attempts do not overflow');
  });

  it('sleep resolves on the injected clock, or early (false) on abort', async () => {
    const clock = new FakeClock();
    const p = sleep(100, undefined, clock);
    clock.advance(100);
    assert.equal(await p, true);
    const ac = new AbortController();
    const q = sleep(100, ac.signal, clock);
    ac.abort();
    assert.equal(await q, false);
    assert.equal(clock.pending(), 0);
  });
});
