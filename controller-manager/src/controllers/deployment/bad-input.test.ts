// Objects the Deployment controller cannot act on (ones the real apiserver's validation would
// refuse, served by the schema-less fake API server): Warning events, no crash, no hot loop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, EventRecorder, InformerFactory, Resources, type KubeObject } from '@k8ts/shared';
import { FakeApiServer } from '@k8ts/shared/testing/fake-api-server';
import { eventually } from '../../testing/poll.js';
import { DeploymentController } from './deployment-controller.js';

const logger = createLogger('deployment-bad-input-test', process.env.TEST_LOG_LEVEL ?? 'silent');
let fake: FakeApiServer;
let client: ApiClient;
let informers: InformerFactory;
let recorder: EventRecorder;
let controller: DeploymentController;
const abort = new AbortController();
let running: Promise<void>;

const base = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'bad', generation: 1 },
  spec: {
    replicas: 2, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    ...spec,
  },
});

before(async () => {
  fake = await FakeApiServer.start();
  client = new ApiClient({ server: fake.url });
  fake.put(Resources.deployments, base('bogus-strategy', { strategy: { type: 'BlueGreen' } }));
  fake.put(Resources.deployments, base('bad-surge', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots', maxUnavailable: 0 } } }));
  fake.put(Resources.deployments, base('selects-all', { selector: {} }));
  fake.put(Resources.deployments, base('bad-selector', { selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } }));
  informers = new InformerFactory({ client, logger });
  recorder = new EventRecorder({ client, source: { component: 'deployment-controller' }, logger });
  controller = new DeploymentController({ client, informers, logger, recorder });
  running = controller.run(abort.signal);
  informers.start();
});

after(async () => {
  abort.abort();
  await running;
  await informers.stop();
  await recorder.close();
  await client.close();
  await fake.close();
});

describe('deployment controller on objects it cannot act on', () => {
  it('records Warning events and does not retry them in a loop', async () => {
    const want: Record<string, [string, RegExp]> = {
      'bogus-strategy': ['UnsupportedStrategy', /unexpected deployment strategy type: BlueGreen/],
      'bad-surge': ['InvalidStrategy', /not a percentage/],
      'selects-all': ['SelectingAll', /This deployment is selecting all pods\. A non-empty selector is required\./],
      'bad-selector': ['InvalidSelector', /has invalid label selector/],
    };
    const events = await eventually(async () => {
      const evs = (await client.list(Resources.events, { namespace: 'bad' })).items;
      return Object.keys(want).every((n) => evs.some((e) => e.involvedObject?.name === n)) && evs;
    }, 'a Warning event for each');
    for (const [name, [reason, message]] of Object.entries(want)) {
      const e = events.find((x) => x.involvedObject?.name === name)!;
      assert.equal(e.type, 'Warning', name);
      assert.equal(e.reason, reason, name);
      assert.match(e.message, message, name);
      // reported once; selects-all twice at most (upstream re-reports it on every sync, and its
      // observedGeneration write causes one more)
      assert.ok((e.count ?? 1) <= (name === 'selects-all' ? 2 : 1), `${name} reported ${e.count} times`);
    }
    // selects-all still gets its generation observed (upstream)
    await eventually(() => fake.getObject(Resources.deployments, 'bad', 'selects-all')?.status?.observedGeneration === 1, 'observedGeneration');
    // nothing was created, and the controller went quiet: no ReplicaSet writes at all
    assert.equal(fake.requests.filter((r) => r.path.includes('/replicasets') && r.method !== 'GET').length, 0);
    // let the allowed second selects-all report (an event count PATCH) land, then measure
    await new Promise((r) => setTimeout(r, 500));
    const before = fake.requests.length;
    await new Promise((r) => setTimeout(r, 500));
    const writes = fake.requests.slice(before).filter((r) => r.method !== 'GET');
    assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [], 'no retries');
    assert.equal(controller.queue.len(), 0);
  });
});
