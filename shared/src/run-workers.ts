// runWorkers: the controller loop. n workers take keys from the queue and reconcile them;
// success forgets the key's backoff, failure re-adds it rate-limited. Errors (thrown or
// rejected) are logged and never escape, so a bad object cannot crash the process.
// Resolves when every worker has exited, i.e. after the queue is shut down.
// Not handled: a retry limit (keys are retried with capped backoff forever, as upstream
// controllers do) and cancellation of an in-flight reconcile.
import type { Logger } from './logger.js';
import type { WorkQueue } from './workqueue.js';

export async function runWorkers<K>(
  queue: WorkQueue<K>, n: number, reconcile: (key: K) => Promise<void> | void, logger: Logger,
): Promise<void> {
  const worker = async (id: number): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (e) {
        const requeues = queue.numRequeues(key);
        logger.warn({ err: e, key, requeues, worker: id, queue: queue.name }, 'reconcile failed; requeueing with backoff');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, (_, i) => worker(i)));
}
