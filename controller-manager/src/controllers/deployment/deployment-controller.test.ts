// The Deployment controller against the real apiserver + etcd, in-process, with a fake
// ReplicaSet-status writer standing in for the ReplicaSet controller (testing/).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiClient, createLogger, EventRecorder, Informer, InformerFactory, Resources, type KubeObject,
} from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { DeploymentController } from './deployment-controller.js';
import { computeHash } from './pod-template-hash.js';
import { FakeReplicaSetStatus } from './testing/fake-replicaset-status.js';
import type { Deployment, ReplicaSet } from './types.js';

const logger = createLogger('deployment-controller-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let t: TestApiServer;
let client: ApiClient;
let informers: InformerFactory;
let recorder: EventRecorder;
let controller: DeploymentController;
const abort = new AbortController();
let running: Promise<void>;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  t = await startTestApiServer();
  client = new ApiClient({ server: t.api.url });
  informers = new InformerFactory({ client, logger });
  recorder = new EventRecorder({ client, source: { component: 'deployment-controller' }, logger });
  controller = new DeploymentController({ client, informers, logger, recorder });
  running = controller.run(abort.signal);
  informers.start();
});

after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  abort.abort();
  await running;
  await informers.stop();
  await recorder.close();
  await client.close();
  await t.stop();
});

let nsCounter = 0;
async function namespace(opts: { delayMs?: number } = {}): Promise<{ ns: string; fake: FakeReplicaSetStatus }> {
  const ns = `deploy-${++nsCounter}`;
  await client.create(Resources.namespaces, { metadata: { name: ns } });
  const fake = await new FakeReplicaSetStatus(client, ns, opts).start();
  cleanups.push(() => fake.stop());
  return { ns, fake };
}

function deployment(ns: string, name: string, o: { replicas?: number; image?: string; spec?: Record<string, unknown>; annotations?: Record<string, string> } = {}): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: ns, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas: o.replicas ?? 4,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: o.image ?? 'nginx:1' }] } },
      ...(o.spec ?? {}),
    },
  };
}

const getD = (ns: string, name: string): Promise<Deployment> => client.get<Deployment>(Resources.deployments, ns, name);
const listRS = async (ns: string): Promise<ReplicaSet[]> => (await client.list<ReplicaSet>(Resources.replicasets, { namespace: ns })).items;
const rsWithImage = (rss: ReplicaSet[], image: string): ReplicaSet | undefined =>
  rss.find((rs) => rs.spec.template?.spec?.containers?.[0]?.image === image);
const setImage = (ns: string, name: string, image: string): Promise<Deployment> =>
  client.patch<Deployment>(Resources.deployments, ns, name, { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } }, 'strategic');
const cond = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);

/** kubectl rollout status's notion of done. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && (s.updatedReplicas ?? 0) >= want
    && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
    && cond(d, 'Progressing')?.reason !== 'ProgressDeadlineExceeded';
}

async function waitRolledOut(ns: string, name: string, what = `${name} rolled out`): Promise<Deployment> {
  return eventually(async () => { const d = await getD(ns, name); return rolledOut(d) && d; }, what, { timeoutMs: 30_000 });
}

async function events(ns: string, name: string): Promise<KubeObject[]> {
  return (await client.list(Resources.events, { namespace: ns })).items.filter((e) => e.involvedObject?.name === name);
}

/** Every state of the namespace's ReplicaSets, one per watch event (in etcd order). */
class ReplicaSetTracker {
  readonly informer: Informer<ReplicaSet>;
  readonly states: { spec: number; available: number; byName: Record<string, { spec: number; available: number }> }[] = [];
  constructor(ns: string) {
    this.informer = new Informer<ReplicaSet>({ client, ref: Resources.replicasets, namespace: ns, logger });
    const snap = (): void => {
      const byName: Record<string, { spec: number; available: number }> = {};
      let spec = 0;
      let available = 0;
      for (const rs of this.informer.list()) {
        const s = { spec: rs.spec.replicas ?? 1, available: rs.status?.availableReplicas ?? 0 };
        byName[rs.metadata.name!] = s;
        spec += s.spec;
        available += s.available;
      }
      this.states.push({ spec, available, byName });
    };
    this.informer.addEventHandler({ onAdd: snap, onUpdate: snap, onDelete: snap });
  }
  async start(): Promise<this> { this.informer.start(); await this.informer.waitForSync(); return this; }
  stop(): Promise<void> { return this.informer.stop(); }
}

describe('deployment controller', () => {
  it('creates <name>-<pod-template-hash> with revision 1, owner reference, hash label and annotations, and reports status', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'web', { replicas: 4, annotations: { 'kubernetes.io/change-cause': 'first' } }));
    const d = await waitRolledOut(ns, 'web');
    const rss = await listRS(ns);
    assert.equal(rss.length, 1);
    const rs = rss[0]!;
    const hash = computeHash(d.spec.template);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs.metadata.labels?.['pod-template-hash'], hash);
    assert.equal(rs.spec.selector?.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rs.spec.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '5', '4 + 25% surge rounded up');
    assert.equal(rs.metadata.annotations?.['kubernetes.io/change-cause'], 'first');
    assert.equal(rs.spec.replicas, 4);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.metadata.generation, 1, 'the revision annotation went through /status');
    assert.deepEqual(
      { observedGeneration: d.status?.observedGeneration, replicas: d.status?.replicas, updatedReplicas: d.status?.updatedReplicas, readyReplicas: d.status?.readyReplicas, availableReplicas: d.status?.availableReplicas, unavailableReplicas: d.status?.unavailableReplicas },
      { observedGeneration: 1, replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: undefined },
    );
    const final = await eventually(async () => { const x = await getD(ns, 'web'); return cond(x, 'Progressing')?.reason === 'NewReplicaSetAvailable' && x; }, 'NewReplicaSetAvailable');
    assert.equal(cond(final, 'Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.deepEqual([cond(final, 'Available')?.status, cond(final, 'Available')?.reason], ['True', 'MinimumReplicasAvailable']);
    // settled: nothing rewrites the Deployment or its ReplicaSet any more
    const rv = final.metadata.resourceVersion;
    const rsRv = (await listRS(ns))[0]!.metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await getD(ns, 'web')).metadata.resourceVersion, rv, 'no status churn');
    assert.equal((await listRS(ns))[0]!.metadata.resourceVersion, rsRv, 'no ReplicaSet churn');
    const evs = await eventually(async () => { const e = await events(ns, 'web'); return e.length > 0 && e; }, 'an event');
    assert.deepEqual(evs.map((e) => [e.type, e.reason, e.message, e.source?.component]), [['Normal', 'ScalingReplicaSet', `Scaled up replica set web-${hash} to 4`, 'deployment-controller']]);
  });

  it('rolls out a new template step by step within maxSurge (25% → 3 of 10, rounded up) and maxUnavailable (25% → 2, rounded down)', async () => {
    const { ns } = await namespace({ delayMs: 20 });
    await client.create(Resources.deployments, deployment(ns, 'roll', { replicas: 10, image: 'nginx:1' }));
    await waitRolledOut(ns, 'roll');
    const tracker = await new ReplicaSetTracker(ns).start();
    cleanups.push(() => tracker.stop());
    const progressing: string[] = [];
    const dWatch = new Informer<Deployment>({ client, ref: Resources.deployments, namespace: ns, logger });
    dWatch.addEventHandler({ onUpdate: (_o, x) => { const c = cond(x, 'Progressing'); if (c && progressing.at(-1) !== `${c.reason}: ${c.message}`) progressing.push(`${c.reason}: ${c.message}`); } });
    dWatch.start();
    await dWatch.waitForSync();
    cleanups.push(() => dWatch.stop());
    await setImage(ns, 'roll', 'nginx:2');
    const d = await waitRolledOut(ns, 'roll', 'rolled out to nginx:2');
    // the informer's own view: `d` may already show the end while its watch has not delivered it yet
    await eventually(() => progressing.at(-1)?.startsWith('NewReplicaSetAvailable'), 'complete');
    await tracker.stop();
    await dWatch.stop();

    const rss = await listRS(ns);
    const oldRS = rsWithImage(rss, 'nginx:1')!;
    const newRS = rsWithImage(rss, 'nginx:2')!;
    assert.equal(oldRS.spec.replicas, 0);
    assert.equal(newRS.spec.replicas, 10);
    assert.equal(oldRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(newRS.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(newRS.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '13');
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.ok(tracker.states.length > 6, `observed ${tracker.states.length} states`);
    for (const s of tracker.states) {
      assert.ok(s.spec <= 13, `total replicas ${s.spec} > 10 + maxSurge 3: ${JSON.stringify(s.byName)}`);
      assert.ok(s.available >= 8, `available ${s.available} < 10 - maxUnavailable 2: ${JSON.stringify(s.byName)}`);
    }
    // it really stepped: the new ReplicaSet took several sizes on the way
    const newSizes = new Set(tracker.states.map((s) => s.byName[newRS.metadata.name!]?.spec).filter((n) => n !== undefined));
    assert.ok(newSizes.size >= 3, `new ReplicaSet sizes seen: ${[...newSizes]}`);
    assert.ok(tracker.states.some((s) => s.spec === 13), 'the surge was used');
    const msgs = (await events(ns, 'roll')).map((e) => e.message);
    assert.ok(msgs.some((m) => new RegExp(`^Scaled down replica set ${oldRS.metadata.name} to \\d+ from \\d+$`).test(m)), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set ${newRS.metadata.name} to 3`), msgs.join('\n'));
    // the Progressing condition through the rollout
    assert.deepEqual([...new Set(progressing)].filter((p) => !p.startsWith('NewReplicaSetAvailable: ReplicaSet "roll-') || p.includes(newRS.metadata.name!)), [
      `NewReplicaSetCreated: Created new replica set "${newRS.metadata.name}"`,
      `ReplicaSetUpdated: ReplicaSet "${newRS.metadata.name}" is progressing.`,
      `NewReplicaSetAvailable: ReplicaSet "${newRS.metadata.name}" has successfully progressed.`,
    ]);
  });

  it('keeps revisionHistoryLimit old ReplicaSets and deletes older scaled-down ones', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'hist', { replicas: 2, image: 'img:1', spec: { revisionHistoryLimit: 2 } }));
    await waitRolledOut(ns, 'hist');
    for (const v of [2, 3, 4, 5]) {
      await setImage(ns, 'hist', `img:${v}`);
      await waitRolledOut(ns, 'hist', `rolled out img:${v}`);
    }
    const rss = await eventually(async () => { const r = await listRS(ns); return r.length === 3 && r; }, 'three ReplicaSets left');
    const byRev = Object.fromEntries(rss.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs.spec.template?.spec?.containers?.[0]?.image]));
    assert.deepEqual(byRev, { 3: 'img:3', 4: 'img:4', 5: 'img:5' });
  });

  it('rolling back by patching the template reuses the old ReplicaSet with the next revision', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'undo', { replicas: 3, image: 'app:a', annotations: { 'kubernetes.io/change-cause': 'a' } }));
    await waitRolledOut(ns, 'undo');
    await client.patch(Resources.deployments, ns, 'undo', { metadata: { annotations: { 'kubernetes.io/change-cause': 'b' } }, spec: { template: { spec: { containers: [{ name: 'web', image: 'app:b' }] } } } }, 'strategic');
    await waitRolledOut(ns, 'undo', 'rolled out b');
    const before = await listRS(ns);
    const rsA = rsWithImage(before, 'app:a')!;
    assert.equal(rsA.spec.replicas, 0);

    // what kubectl rollout undo does: the old ReplicaSet's template (minus the hash label) and annotations
    const template = structuredClone(rsA.spec.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    (template.metadata as Record<string, unknown>).creationTimestamp = null;
    const d = await getD(ns, 'undo');
    const annotations = { 'deployment.kubernetes.io/revision': d.metadata.annotations!['deployment.kubernetes.io/revision']!, 'kubernetes.io/change-cause': 'a' };
    await client.patch(Resources.deployments, ns, 'undo', [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ], 'json');
    const rolled = await eventually(async () => {
      const x = await getD(ns, 'undo');
      return x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && rolledOut(x) && x;
    }, 'revision 3 rolled out');
    const after = await listRS(ns);
    assert.equal(after.length, 2, 'no new ReplicaSet');
    const reused = after.find((rs) => rs.metadata.uid === rsA.metadata.uid)!;
    assert.equal(reused.metadata.name, rsA.metadata.name);
    assert.equal(reused.spec.replicas, 3);
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(reused.metadata.annotations?.['kubernetes.io/change-cause'], 'a');
    assert.equal(rsWithImage(after, 'app:b')!.spec.replicas, 0);
    assert.equal(rolled.status?.updatedReplicas, 3);
  });

  it('rolls back through the deprecated rollbackTo annotation', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'rb', { replicas: 1, image: 'x:1' }));
    await waitRolledOut(ns, 'rb');
    await setImage(ns, 'rb', 'x:2');
    await waitRolledOut(ns, 'rb', 'x:2');
    await client.patch(Resources.deployments, ns, 'rb', { metadata: { annotations: { 'deprecated.deployment.rollback.to': '0' } } }, 'merge');
    const d = await eventually(async () => {
      const x = await getD(ns, 'rb');
      return x.spec.template?.spec?.containers?.[0]?.image === 'x:1' && rolledOut(x) && x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && x;
    }, 'rolled back to x:1 as revision 3');
    assert.equal(d.metadata.annotations?.['deprecated.deployment.rollback.to'], undefined);
    assert.equal((await listRS(ns)).length, 2);
    const evs = await eventually(async () => { const e = await events(ns, 'rb'); return e.some((x) => x.reason === 'DeploymentRollback') && e; }, 'rollback event');
    assert.ok(evs.some((e) => e.message === 'Rolled back deployment "rb" to revision 1'));
  });

  it('pause: no rollout (Progressing DeploymentPaused) but scaling works; resume rolls out', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'p', { replicas: 2, image: 'p:1' }));
    await waitRolledOut(ns, 'p');
    await client.patch(Resources.deployments, ns, 'p', { spec: { paused: true } }, 'merge');
    await setImage(ns, 'p', 'p:2');
    const paused = await eventually(async () => {
      const x = await getD(ns, 'p');
      return x.status?.observedGeneration === x.metadata.generation && cond(x, 'Progressing')?.reason === 'DeploymentPaused' && x;
    }, 'paused template change observed');
    assert.equal(cond(paused, 'Progressing')?.status, 'Unknown');
    assert.equal((await listRS(ns)).length, 1, 'no new ReplicaSet while paused');

    await client.patch(Resources.deployments, ns, 'p', { spec: { replicas: 5 } }, 'merge');
    await eventually(async () => (await listRS(ns))[0]?.spec.replicas === 5, 'paused deployment scaled to 5');
    assert.equal((await listRS(ns)).length, 1);

    await client.patch(Resources.deployments, ns, 'p', { spec: { paused: false } }, 'merge');
    const resumed = await waitRolledOut(ns, 'p', 'resumed rollout');
    const rss = await listRS(ns);
    assert.equal(rss.length, 2);
    assert.equal(rsWithImage(rss, 'p:2')?.spec.replicas, 5);
    assert.notEqual(cond(resumed, 'Progressing')?.reason, 'DeploymentPaused');
  });

  it('Recreate: scales old to 0, waits until its pods are gone, then creates the new ReplicaSet', async () => {
    const { ns, fake } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'rc', { replicas: 3, image: 'r:1', spec: { strategy: { type: 'Recreate' } } }));
    await waitRolledOut(ns, 'rc');
    const oldRS = (await listRS(ns))[0]!;
    const tracker = await new ReplicaSetTracker(ns).start();
    cleanups.push(() => tracker.stop());
    fake.setMode(oldRS.metadata.name!, 'frozen'); // its pods "take long to terminate"
    await setImage(ns, 'rc', 'r:2');
    await eventually(async () => (await client.get<ReplicaSet>(Resources.replicasets, ns, oldRS.metadata.name!)).spec.replicas === 0, 'old scaled to 0');
    await eventually(async () => { const x = await getD(ns, 'rc'); return x.status?.observedGeneration === x.metadata.generation; }, 'template change observed');
    assert.equal((await listRS(ns)).length, 1, 'no new ReplicaSet while old pods remain');

    fake.setMode(oldRS.metadata.name!, 'ready');
    await waitRolledOut(ns, 'rc', 'recreated');
    await tracker.stop();
    const newRS = rsWithImage(await listRS(ns), 'r:2')!;
    assert.equal(newRS.spec.replicas, 3);
    for (const s of tracker.states) {
      const active = Object.values(s.byName).filter((x) => x.spec > 0).length;
      assert.ok(active <= 1, `old and new ReplicaSets overlapped: ${JSON.stringify(s.byName)}`);
    }
  });

  it('reports ProgressDeadlineExceeded when the new ReplicaSet makes no progress', async () => {
    const { ns, fake } = await namespace();
    fake.setMode(() => true, 'notReady');
    await client.create(Resources.deployments, deployment(ns, 'stuck', { replicas: 2, spec: { progressDeadlineSeconds: 2 } }));
    const d = await eventually(async () => {
      const x = await getD(ns, 'stuck');
      return cond(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x;
    }, 'ProgressDeadlineExceeded', { timeoutMs: 20_000 });
    const rs = (await listRS(ns))[0]!;
    assert.equal(cond(d, 'Progressing')?.status, 'False');
    assert.equal(cond(d, 'Progressing')?.message, `ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
    assert.deepEqual([cond(d, 'Available')?.status, cond(d, 'Available')?.reason], ['False', 'MinimumReplicasUnavailable']);
    assert.equal(d.status?.unavailableReplicas, 2);
  });

  it('scales proportionally when a Deployment is scaled mid-rollout', async () => {
    const { ns, fake } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'prop', { replicas: 10, image: 'v:1', spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } } }));
    await waitRolledOut(ns, 'prop');
    fake.setMode((rs) => rs.spec.template?.spec?.containers?.[0]?.image === 'v:2', 'notReady');
    await setImage(ns, 'prop', 'v:2');
    // 13 allowed, 8 must stay available: old 8, new 5 (never available)
    await eventually(async () => {
      const rss = await listRS(ns);
      return rsWithImage(rss, 'v:1')?.spec.replicas === 8 && rsWithImage(rss, 'v:2')?.spec.replicas === 5;
    }, 'rollout stuck at old 8 / new 5');
    await client.patch(Resources.deployments, ns, 'prop', { spec: { replicas: 15 } }, 'merge');
    // 18 allowed: +5 split by size, 3 to the old ReplicaSet and 2 to the new one
    const rss = await eventually(async () => {
      const r = await listRS(ns);
      return rsWithImage(r, 'v:1')?.spec.replicas === 11 && rsWithImage(r, 'v:2')?.spec.replicas === 7 && r;
    }, 'old 11 / new 7');
    for (const rs of rss) {
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '15');
      assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '18');
    }
  });

  it('resolves a pod-template-hash collision by bumping status.collisionCount', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'col', { replicas: 1, spec: { paused: true } }));
    const d = await eventually(async () => { const x = await getD(ns, 'col'); return x.status?.observedGeneration === 1 && x; }, 'paused deployment observed');
    const taken = `col-${computeHash(d.spec.template)}`;
    await client.create(Resources.replicasets, {
      metadata: { name: taken, namespace: ns, labels: { squatter: 'yes' } },
      spec: { replicas: 0, selector: { matchLabels: { squatter: 'yes' } }, template: { metadata: { labels: { squatter: 'yes' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } },
    });
    await client.patch(Resources.deployments, ns, 'col', { spec: { paused: false } }, 'merge');
    const done = await waitRolledOut(ns, 'col', 'rolled out despite the collision');
    assert.equal(done.status?.collisionCount, 1);
    const mine = (await listRS(ns)).filter((rs) => rs.metadata.name !== taken);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.metadata.name, `col-${computeHash(d.spec.template, 1)}`);
    const squatter = await client.get<ReplicaSet>(Resources.replicasets, ns, taken);
    assert.equal(squatter.metadata.ownerReferences, undefined, 'not adopted');
  });

  it('copies minReadySeconds to the ReplicaSet in place (no new ReplicaSet)', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'mrs', { replicas: 1, spec: { minReadySeconds: 2 } }));
    await waitRolledOut(ns, 'mrs');
    assert.equal((await listRS(ns))[0]!.spec.minReadySeconds, 2);
    await client.patch(Resources.deployments, ns, 'mrs', { spec: { minReadySeconds: 7 } }, 'merge');
    await eventually(async () => (await listRS(ns))[0]?.spec.minReadySeconds === 7, 'minReadySeconds updated');
    assert.equal((await listRS(ns)).length, 1);
    await waitRolledOut(ns, 'mrs', 'observed');
  });

  it('scales to zero and back', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'zero', { replicas: 3 }));
    await waitRolledOut(ns, 'zero');
    await client.patch(Resources.deployments, ns, 'zero', { spec: { replicas: 0 } }, 'merge');
    const z = await eventually(async () => { const x = await getD(ns, 'zero'); return rolledOut(x) && x.status?.replicas === undefined && x; }, 'scaled to 0');
    assert.equal((await listRS(ns))[0]!.spec.replicas, 0);
    assert.equal(z.status?.replicas, undefined);
    assert.equal(cond(z, 'Available')?.status, 'True');
    await client.patch(Resources.deployments, ns, 'zero', { spec: { replicas: 2 } }, 'merge');
    await waitRolledOut(ns, 'zero', 'scaled to 2');
    const rss = await listRS(ns);
    assert.equal(rss.length, 1);
    assert.equal(rss[0]!.spec.replicas, 2);
    const msgs = (await events(ns, 'zero')).map((e) => e.message);
    assert.ok(msgs.includes(`Scaled down replica set ${rss[0]!.metadata.name} to 0 from 3`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set ${rss[0]!.metadata.name} to 2 from 0`), msgs.join('\n'));
  });

  it('adopts an orphan ReplicaSet with its template instead of creating one', async () => {
    const { ns } = await namespace();
    await client.create(Resources.deployments, deployment(ns, 'adopt', { replicas: 2, spec: { paused: true } }));
    const d = await eventually(async () => { const x = await getD(ns, 'adopt'); return x.status?.observedGeneration === 1 && x; }, 'observed');
    const template = structuredClone(d.spec.template!);
    template.metadata!.labels!['pod-template-hash'] = 'orphan';
    await client.create(Resources.replicasets, {
      metadata: { name: 'adopt-orphan', namespace: ns, labels: { app: 'adopt', 'pod-template-hash': 'orphan' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'adopt', 'pod-template-hash': 'orphan' } }, template },
    });
    await client.patch(Resources.deployments, ns, 'adopt', { spec: { paused: false } }, 'merge');
    await waitRolledOut(ns, 'adopt');
    const rss = await listRS(ns);
    assert.deepEqual(rss.map((rs) => rs.metadata.name), ['adopt-orphan']);
    assert.equal(rss[0]!.metadata.ownerReferences?.[0]?.uid, d.metadata.uid);
    assert.equal(rss[0]!.spec.replicas, 2);
  });
});
