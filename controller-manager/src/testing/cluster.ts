// Test helper: a real etcd + apiserver (startTestApiServer) and a controller-manager running
// the named controllers in-process without leader election, with short durations. stop()
// closes everything; safe to call twice.
import { ApiClient, createLogger, isAlreadyExists, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { start, type ControllerManager } from '../controller-manager.js';
import type { ControllerOptions } from '../controllers/types.js';

export interface TestCluster {
  server: TestApiServer;
  url: string;
  client: ApiClient;
  cm: ControllerManager;
  /** Starts (again) the controller-manager; the previous one must be stopped first. */
  restartControllers(): Promise<void>;
  stopControllers(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCluster(controllers: string[], options: Partial<ControllerOptions> = {}): Promise<TestCluster> {
  const server = await startTestApiServer();
  const logger = createLogger('controllers-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const client = new ApiClient({ server: server.api.url });
  const startCm = () => start({
    connection: { server: server.api.url }, logger, port: null, leaderElect: false, controllers, controllerOptions: options, resyncMs: 0,
  });
  let cm: ControllerManager | undefined = await startCm();
  let stopped = false;
  const cluster: TestCluster = {
    server, url: server.api.url, client,
    get cm() { return cm!; },
    async restartControllers() { cm = await startCm(); },
    async stopControllers() { await cm?.close(); cm = undefined; },
    async stop() {
      if (stopped) return;
      stopped = true;
      await cm?.close();
      await client.close();
      await server.stop();
    },
  };
  return cluster;
}

export async function ensureNamespace(client: ApiClient, name: string): Promise<void> {
  try {
    await client.create(Resources.namespaces, { metadata: { name } });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

/** Creates a pod (bound to `nodeName` if given) and then writes `status` through /status. */
export async function createPodWithStatus(client: ApiClient, pod: KubeObject, status?: Record<string, unknown>): Promise<KubeObject> {
  const created = await client.create(Resources.pods, pod);
  if (!status) return created;
  return client.updateStatus(Resources.pods, { ...created, status: { ...created.status, ...status } });
}

export const readyStatus = (ip: string, ready = true): Record<string, unknown> => ({
  phase: 'Running', podIP: ip, podIPs: [{ ip }],
  conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }, { type: 'ContainersReady', status: ready ? 'True' : 'False' }],
});
