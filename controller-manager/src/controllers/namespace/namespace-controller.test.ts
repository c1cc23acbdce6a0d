// The namespace controller end to end: real etcd, the real apiserver in-process (plain HTTP),
// and the controller-manager's start() talking to it over HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ApiClient, createLogger, isNotFound, Resources, type KubeObject, type ResourceRef } from '@k8ts/shared';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { start as startApiServer, type ApiServer } from '@k8ts/apiserver';
import { start, type ControllerManager } from '../../controller-manager.js';
import { eventually } from '../../testing/poll.js';

const logger = createLogger('namespace-controller-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let etcd: TestEtcd;
let api: ApiServer;
let client: ApiClient;
let cm: ControllerManager;

before(async () => {
  etcd = await startTestEtcd();
  api = await startApiServer({ etcdServers: [etcd.endpoint], insecure: true, securePort: 0, bindAddress: '127.0.0.1', waitForBootstrap: true, logger });
  client = new ApiClient({ server: api.url });
  cm = await start({
    connection: { server: api.url }, logger, port: 0, identity: 'test-cm',
    leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500,
  });
});
after(async () => {
  await cm?.close();
  await client?.close();
  await api?.close();
  await etcd?.stop();
});

const names = async (ref: ResourceRef, ns: string): Promise<string[]> =>
  (await client.list(ref, { namespace: ns })).items.map((o) => o.metadata.name!).sort();

const gone = async (ref: ResourceRef, ns: string | undefined, name: string): Promise<boolean> => {
  try {
    await client.get(ref, ns, name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
};

async function populate(ns: string): Promise<void> {
  await client.create(Resources.namespaces, { metadata: { name: ns } });
  for (const n of ['a', 'b', 'c']) await client.create(Resources.configmaps, { metadata: { name: n, namespace: ns }, data: { k: n } });
  await client.create(Resources.secrets, { metadata: { name: 's1', namespace: ns }, stringData: { password: 'x' } });
  await client.create(Resources.deployments, {
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  });
  await client.create(Resources.pods, { metadata: { name: 'lonely', namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
}

function httpGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

describe('namespace controller', () => {
  it('serves /healthz and /readyz and leads', async () => {
    assert.ok(cm.healthPort > 0);
    assert.equal(await httpGet(cm.healthPort, '/healthz'), 200);
    assert.equal(await httpGet(cm.healthPort, '/readyz'), 200);
    await eventually(() => cm.isLeader(), 'the only controller-manager leads');
    assert.ok(cm.controllers.includes('namespace'));
  });

  it('deletes configmaps, secrets, a deployment and an unbound pod, then the namespace', async () => {
    await populate('doomed');
    await populate('kept');
    assert.deepEqual(await names(Resources.configmaps, 'doomed'), ['a', 'b', 'c']);

    await client.delete(Resources.namespaces, undefined, 'doomed');
    const terminating = await client.get(Resources.namespaces, undefined, 'doomed').catch(() => undefined);
    if (terminating) assert.equal(terminating.status?.phase, 'Terminating');

    await eventually(async () => (await gone(Resources.namespaces, undefined, 'doomed')) || undefined, 'namespace doomed is removed');
    for (const ref of [Resources.configmaps, Resources.secrets, Resources.deployments, Resources.pods]) {
      assert.deepEqual(await names(ref, 'doomed'), [], `${ref.plural} left in doomed`);
    }
    // other namespaces are untouched
    assert.deepEqual(await names(Resources.configmaps, 'kept'), ['a', 'b', 'c']);
    assert.deepEqual(await names(Resources.deployments, 'kept'), ['web']);
    // (the Deployment's own pods may exist too: every controller runs here)
    assert.ok((await names(Resources.pods, 'kept')).includes('lonely'));
    const kept = await client.get(Resources.namespaces, undefined, 'kept');
    assert.equal(kept.status?.phase, 'Active');
  });

  it('waits for content with finalizers, reporting upstream conditions, and finishes when they are removed', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'held' } });
    await client.create(Resources.configmaps, { metadata: { name: 'pinned', namespace: 'held', finalizers: ['example.com/hold'] } });
    await client.create(Resources.configmaps, { metadata: { name: 'free', namespace: 'held' } });
    await client.delete(Resources.namespaces, undefined, 'held');

    const ns = await eventually(async () => {
      const o = await client.get(Resources.namespaces, undefined, 'held');
      const c = condition(o, 'NamespaceFinalizersRemaining');
      return c?.status === 'True' ? o : undefined;
    }, 'the namespace reports the remaining finalizer');
    assert.equal(ns.status.phase, 'Terminating');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes'], 'not finalized while content remains');
    assert.deepEqual(pick(condition(ns, 'NamespaceFinalizersRemaining')), {
      status: 'True', reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });
    assert.deepEqual(pick(condition(ns, 'NamespaceContentRemaining')), {
      status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps has 1 resource instances',
    });
    assert.deepEqual(pick(condition(ns, 'NamespaceDeletionDiscoveryFailure')), {
      status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered',
    });
    assert.deepEqual(pick(condition(ns, 'NamespaceDeletionContentFailure')), {
      status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization',
    });
    assert.match(condition(ns, 'NamespaceContentRemaining')!.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(await names(Resources.configmaps, 'held'), ['pinned']);
    const pinned = await client.get(Resources.configmaps, 'held', 'pinned');
    assert.ok(pinned.metadata.deletionTimestamp, 'the pinned configmap is marked for deletion');

    await client.patch(Resources.configmaps, 'held', 'pinned', { metadata: { finalizers: null } }, 'merge');
    await eventually(async () => (await gone(Resources.namespaces, undefined, 'held')) || undefined, 'namespace held is removed after the finalizer goes');
  });

  it('keeps working for namespaces that are deleted again after the first round (idempotent)', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'twice' } });
    await client.create(Resources.configmaps, { metadata: { name: 'x', namespace: 'twice' } });
    await client.delete(Resources.namespaces, undefined, 'twice');
    await client.delete(Resources.namespaces, undefined, 'twice').catch((e) => { if (!isNotFound(e)) throw e; });
    await eventually(async () => (await gone(Resources.namespaces, undefined, 'twice')) || undefined, 'namespace twice is removed');
    // the name can be reused at once, and the new namespace is left alone
    await client.create(Resources.namespaces, { metadata: { name: 'twice' } });
    await client.create(Resources.configmaps, { metadata: { name: 'y', namespace: 'twice' } });
    assert.deepEqual(await names(Resources.configmaps, 'twice'), ['y']);
    assert.equal((await client.get(Resources.namespaces, undefined, 'twice')).status?.phase, 'Active');
  });
});

function condition(ns: KubeObject, type: string): any {
  return (ns.status?.conditions ?? []).find((c: { type: string }) => c.type === type);
}
function pick(c: any): unknown {
  return c && { status: c.status, reason: c.reason, message: c.message };
}
