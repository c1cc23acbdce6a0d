import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ShutdownCoordinator } from './signals.js';

describe('ShutdownCoordinator', () => {
  it('on SIGTERM runs cleanups once, last registered first, isolating failures, then exits 0', async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    const order: string[] = [];
    const errors: unknown[] = [];
    const sd = new ShutdownCoordinator({ source, exit: (c) => exits.push(c), onError: (e) => errors.push(e) });
    sd.register(() => { order.push('first'); });
    sd.register(async () => { order.push('second'); throw new Error('cleanup failed'); });
    const unregister = sd.register(() => { order.push('removed'); });
    sd.register(async () => { await new Promise((r) => setImmediate(r)); order.push('third'); });
    unregister();
    assert.equal(source.listenerCount('SIGTERM'), 1, 'handlers installed once');
    assert.equal(source.listenerCount('SIGINT'), 1);
    source.emit('SIGTERM');
    await sd.finished();
    assert.deepEqual(order, ['third', 'second', 'first']);
    assert.equal(errors.length, 1);
    assert.deepEqual(exits, [0]);
  });

  it('a second signal during cleanup forces exit 1; SIGINT works like SIGTERM', async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    const sd = new ShutdownCoordinator({ source, exit: (c) => exits.push(c) });
    let ran = 0;
    let release!: () => void;
    sd.register(async () => { ran++; await new Promise<void>((r) => { release = r; }); });
    source.emit('SIGINT');
    source.emit('SIGINT');
    assert.deepEqual(exits, [1]);
    release();
    await sd.finished();
    assert.equal(ran, 1, 'cleanups ran once');
  });
});
