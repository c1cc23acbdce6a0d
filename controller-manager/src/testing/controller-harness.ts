// Test helper: runs controllers in-process against an API server, without leader election:
// one InformerFactory, the given controllers built on it, started; stop() aborts them and
// stops the informers and recorders. Safe to call stop() twice.
import { ApiClient, createLogger, EventRecorder, InformerFactory, type Logger } from '@k8ts/shared';
import type { Controller, ControllerContext } from '../controllers/types.js';

export interface ControllerHarness {
  client: ApiClient;
  informers: InformerFactory;
  controllers: Controller[];
  stop(): Promise<void>;
}

export function runControllersForTest(
  server: string, build: (ctx: ControllerContext) => Controller[], logger: Logger = createLogger('controller-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
): ControllerHarness {
  const client = new ApiClient({ server });
  const informers = new InformerFactory({ client, logger, resyncMs: 0 });
  const recorders: EventRecorder[] = [];
  const ctx: ControllerContext = {
    client, informers, logger,
    // only what these tests' controllers read; other controllers' options keep their defaults elsewhere
    options: { concurrentNamespaceSyncs: 2 } as ControllerContext['options'],
    recorder: (component) => {
      const r = new EventRecorder({ client, source: { component }, logger });
      recorders.push(r);
      return r;
    },
  };
  const controllers = build(ctx);
  const abort = new AbortController();
  const running = controllers.map((c) => c.run(abort.signal));
  informers.start();
  let stopping: Promise<void> | undefined;
  return {
    client, informers, controllers,
    stop: () => (stopping ??= (async () => {
      abort.abort();
      await Promise.all(running);
      await informers.stop();
      await Promise.all(recorders.map((r) => r.close()));
      await client.close();
    })()),
  };
}
