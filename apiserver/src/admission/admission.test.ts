// Admission against the real apiserver + etcd: ResourceQuota refusals with upstream's exact
// messages, atomic charging under concurrency, dry runs, quotas not yet counted, service
// updates; DefaultTolerationSeconds with its flags. (The quota controller is not running
// here: quota status is written through /status as the controller would.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, isStatusError, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '../testing/test-server.js';

let t: TestApiServer;
let client: ApiClient;

before(async () => {
  t = await startTestApiServer({ admission: { defaultNotReadyTolerationSeconds: 120 } });
  client = new ApiClient({ server: t.api.url });
});
after(async () => {
  await client?.close();
  await t?.stop();
});

const pod = (name: string, ns: string, resources?: Record<string, Record<string, string>>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'app', image: 'nginx', ...(resources ? { resources } : {}) }] },
});
const sized = { requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } };

/** Creates a quota and writes its status as the quota controller would (used = zero). */
async function quota(ns: string, name: string, hard: Record<string, string>, extra: Record<string, unknown> = {}): Promise<KubeObject> {
  const q = await client.create(Resources.resourcequotas, { metadata: { name, namespace: ns }, spec: { hard, ...extra } });
  const used = Object.fromEntries(Object.keys(hard).map((k) => [k, '0']));
  return client.updateStatus(Resources.resourcequotas, { ...q, status: { hard, used } });
}

async function refusal(p: Promise<unknown>): Promise<{ code: number; reason?: string; message?: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    if (isStatusError(e)) return { code: e.status.code, reason: e.status.reason, message: e.status.message, details: e.status.details };
    throw e;
  }
  assert.fail('the request was not refused');
}

const used = async (ns: string, name: string) => (await client.get(Resources.resourcequotas, ns, name)).status?.used;

describe('ResourceQuota admission', () => {
  it('the seed quota in dev: requires requests/limits, charges, refuses over requests.cpu with the upstream message', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'dev' } });
    await quota('dev', 'compute-quota', { pods: '10', 'requests.cpu': '4', 'requests.memory': '5Gi', 'limits.cpu': '10', 'limits.memory': '10Gi' });

    const bare = await refusal(client.create(Resources.pods, pod('bare', 'dev')));
    assert.equal(bare.code, 403);
    assert.equal(bare.reason, 'Forbidden');
    assert.equal(bare.message, 'pods "bare" is forbidden: failed quota: compute-quota: must specify limits.cpu for: app; limits.memory for: app; requests.cpu for: app; requests.memory for: app');
    assert.deepEqual(bare.details, { name: 'bare', kind: 'pods' });

    for (let i = 0; i < 4; i++) await client.create(Resources.pods, pod(`web-${i}`, 'dev', sized));
    assert.deepEqual(await used('dev', 'compute-quota'), {
      'limits.cpu': '4', 'limits.memory': '1Gi', pods: '4', 'requests.cpu': '4', 'requests.memory': '512Mi',
    });
    const over = await refusal(client.create(Resources.pods, pod('web-4', 'dev', sized)));
    assert.equal(over.code, 403);
    assert.equal(over.message, 'pods "web-4" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=1, used: requests.cpu=4, limited: requests.cpu=4');
    // a smaller request still fits nothing: requests.cpu is exhausted; usage unchanged by refusals
    assert.equal((await used('dev', 'compute-quota'))?.pods, '4');
    assert.equal((await client.list(Resources.pods, { namespace: 'dev' })).items.length, 4);
  });

  it('never exceeds a quota under 20 concurrent creates (pods: 5)', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'race' } });
    await quota('race', 'pod-count', { pods: '5' });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.create(Resources.pods, pod(`p-${i}`, 'race'))));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    assert.equal(ok, 5);
    for (const e of refused) {
      assert.ok(isStatusError(e) && e.status.code === 403, String(e));
      assert.match(e.status.message!, /^pods "p-\d+" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=5, limited: pods=5$/);
    }
    assert.equal((await client.list(Resources.pods, { namespace: 'race' })).items.length, 5);
    assert.equal((await used('race', 'pod-count'))?.pods, '5');
  });

  it('dry runs are checked but charge nothing; generateName pods are named in messages', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'dry' } });
    await quota('dry', 'one', { pods: '1' });
    await client.create(Resources.pods, pod('a', 'dry'), { dryRun: true });
    assert.equal((await used('dry', 'one'))?.pods, '0');
    await client.create(Resources.pods, pod('a', 'dry'));
    const gen = pod('', 'dry');
    gen.metadata = { generateName: 'web-', namespace: 'dry' };
    const r = await refusal(client.create(Resources.pods, gen));
    assert.match(r.message!, /^pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: one, requested: pods=1, used: pods=1, limited: pods=1$/);
  });

  it('quotas the controller has not counted yet: no status admits, partial status refuses', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'fresh' } });
    await client.create(Resources.resourcequotas, { metadata: { name: 'uncounted', namespace: 'fresh' }, spec: { hard: { pods: '0' } } });
    await client.create(Resources.pods, pod('a', 'fresh'));
    const q = await client.get(Resources.resourcequotas, 'fresh', 'uncounted');
    await client.updateStatus(Resources.resourcequotas, { ...q, status: { hard: { pods: '0', 'count/pods': '0' }, used: { pods: '1' } } });
    const r = await refusal(client.create(Resources.pods, pod('b', 'fresh')));
    assert.equal(r.message, 'pods "b" is forbidden: status unknown for quota: uncounted, resources: count/pods,pods');
  });

  it('object counts (configmaps, count/deployments.apps) and service node ports on update', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'objs' } });
    await quota('objs', 'objects', { configmaps: '1', 'count/deployments.apps': '0', 'services.nodeports': '1', services: '2' });
    await client.create(Resources.configmaps, { metadata: { name: 'c1', namespace: 'objs' }, data: {} });
    assert.equal((await refusal(client.create(Resources.configmaps, { metadata: { name: 'c2', namespace: 'objs' }, data: {} }))).message,
      'configmaps "c2" is forbidden: exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1');
    const d = await refusal(client.create(Resources.deployments, {
      metadata: { name: 'web', namespace: 'objs' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    }));
    assert.equal(d.message, 'deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0');
    assert.deepEqual(d.details, { name: 'web', kind: 'deployments', group: 'apps' });
    const svc = await client.create(Resources.services, { metadata: { name: 's', namespace: 'objs' }, spec: { ports: [{ port: 80 }, { port: 81, name: 'b' }].map((p, i) => ({ ...p, name: `p${i}` })) } });
    assert.equal((await used('objs', 'objects'))?.services, '1');
    const r = await refusal(client.update(Resources.services, { ...svc, spec: { ...svc.spec, type: 'NodePort' } }));
    assert.equal(r.message, 'services "s" is forbidden: exceeded quota: objects, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1');
  });

  it('DefaultTolerationSeconds: flag values on new pods, existing tolerations respected', async () => {
    const p = await client.create(Resources.pods, pod('tol', 'default'));
    assert.deepEqual(p.spec?.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const own = pod('tol2', 'default');
    (own.spec as Record<string, unknown>).tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 }];
    const p2 = await client.create(Resources.pods, own);
    assert.deepEqual(p2.spec?.tolerations?.map((x: { key: string; tolerationSeconds: number }) => `${x.key}=${x.tolerationSeconds}`),
      ['node.kubernetes.io/unreachable=7', 'node.kubernetes.io/not-ready=120']);
    // an update that drops the defaulted tolerations gets them back (tolerations cannot be removed)
    const put = await client.update(Resources.pods, { ...p, spec: { ...p.spec, tolerations: [] } });
    assert.equal(put.spec?.tolerations?.length, 2);
    // deployments' pod templates are not pods
    const rs: KubeObject = await client.create<KubeObject>(Resources.replicasets, {
      metadata: { name: 'r', namespace: 'default' },
      spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    assert.equal((rs as KubeObject).spec?.template?.spec?.tolerations, undefined);
  });
});
