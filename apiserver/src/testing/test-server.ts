// Test helper: a real etcd plus an in-process apiserver (plain HTTP, no auth) on free
// loopback ports, bootstrapped before it resolves. stop() closes both; safe to call twice.
import { createLogger } from '@k8ts/shared';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { start, type ApiServer, type ApiServerOptions } from '../server.js';

export interface TestApiServer { etcd: TestEtcd; api: ApiServer; stop(): Promise<void>; }

/** `opts` are extra start() options (e.g. `admission`). */
export async function startTestApiServer(opts: Partial<ApiServerOptions> = {}): Promise<TestApiServer> {
  const etcd = await startTestEtcd();
  const api = await start({ etcdServers: [etcd.endpoint], insecure: true, securePort: 0, bindAddress: '127.0.0.1', waitForBootstrap: true, logger: createLogger('test', 'silent'), ...opts });
  return { etcd, api, async stop() { await api.close(); await etcd.stop(); } };
}
