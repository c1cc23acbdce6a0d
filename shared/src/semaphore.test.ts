import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Semaphore } from './semaphore.js';

test('semaphore: at most `permits` holders, waiters served in call order', async () => {
  const s = new Semaphore(2);
  const order: number[] = [];
  const r1 = await s.acquire();
  const r2 = await s.acquire();
  assert.equal(s.inUse, 2);
  const w = [3, 4, 5].map((n) => s.acquire().then((r) => { order.push(n); return r; }));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, []);
  assert.equal(s.waiting, 3);
  r1();
  r1(); // idempotent: does not free a second permit
  const r3 = await w[0]!;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [3]);
  r2();
  r3();
  for (const p of w.slice(1)) (await p)();
  assert.deepEqual(order, [3, 4, 5]);
  assert.equal(s.inUse, 0);
});

test('semaphore: rejects a non-positive permit count', () => {
  assert.throws(() => new Semaphore(0), RangeError);
  assert.throws(() => new Semaphore(1.5), RangeError);
});
