// Leader election against the real apiserver (real etcd, Lease objects through HTTP): two
// controller-managers, then two bare electors. Short timings keep the test quick; every
// wait is a bounded poll, and "only one leads" is checked on every poll.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, Resources, runLeaderElection, type LeaderElector, type LeaseSpec } from '@k8ts/shared';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { start as startApiServer, type ApiServer } from '@k8ts/apiserver';
import { start, type ControllerManager } from './controller-manager.js';
import { eventually } from './testing/poll.js';

const logger = createLogger('leader-election-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const TIMINGS = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 300 };

let etcd: TestEtcd;
let api: ApiServer;
let client: ApiClient;

before(async () => {
  etcd = await startTestEtcd();
  api = await startApiServer({ etcdServers: [etcd.endpoint], insecure: true, securePort: 0, bindAddress: '127.0.0.1', waitForBootstrap: true, logger });
  client = new ApiClient({ server: api.url });
});
after(async () => {
  await client?.close();
  await api?.close();
  await etcd?.stop();
});

const leaseSpec = async (name: string): Promise<LeaseSpec> => ((await client.get(Resources.leases, 'kube-system', name)).spec ?? {}) as LeaseSpec;

describe('leader election against the real apiserver', () => {
  it('two controller-managers: one leads; when it stops, the other takes over', async () => {
    const one = await start({ connection: { server: api.url }, logger, port: null, identity: 'cm-one', ...TIMINGS });
    const two = await start({ connection: { server: api.url }, logger, port: null, identity: 'cm-two', ...TIMINGS });
    const all = [one, two];
    try {
      const onlyOne = (): ControllerManager | undefined => {
        const leaders = all.filter((c) => c.isLeader());
        assert.ok(leaders.length <= 1, `two leaders at once: ${leaders.map((l) => l.identity)}`);
        return leaders[0];
      };
      const first = await eventually(onlyOne, 'a leader is elected');
      const spec = await leaseSpec('kube-controller-manager');
      assert.equal(spec.holderIdentity, first.identity);
      assert.equal(spec.leaseDurationSeconds, 3);
      assert.match(spec.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      // the standby stays a standby across several renewals
      const renewed = spec.renewTime;
      await eventually(async () => { onlyOne(); return (await leaseSpec('kube-controller-manager')).renewTime !== renewed; }, 'the leader renews');
      assert.equal(onlyOne(), first);

      const standby = first === one ? two : one;
      await first.close();
      const next = await eventually(onlyOne, 'the standby takes over');
      assert.equal(next, standby);
      const after = await leaseSpec('kube-controller-manager');
      assert.equal(after.holderIdentity, standby.identity);
      assert.equal(after.leaseTransitions, (spec.leaseTransitions ?? 0) + 1);
    } finally {
      await Promise.all(all.map((c) => c.close()));
    }
  });

  it('a leader that dies without releasing is replaced once its lease expires', async () => {
    const electors: LeaderElector[] = [];
    const leading = new Set<string>();
    const overlaps: string[] = [];
    const elect = (identity: string, releaseOnCancel: boolean): LeaderElector => {
      const e = runLeaderElection({
        client, namespace: 'kube-system', name: 'crash-test', identity, logger, releaseOnCancel, ...TIMINGS,
        onStartedLeading: (signal) => {
          if (leading.size) overlaps.push(`${identity} started while ${[...leading]} leads`);
          leading.add(identity);
          return new Promise<void>((resolve) => signal.addEventListener('abort', () => { leading.delete(identity); resolve(); }));
        },
      });
      electors.push(e);
      return e;
    };
    try {
      const a = elect('a', false);
      await eventually(() => a.isLeader(), 'a leads');
      const b = elect('b', true);
      await eventually(() => b.leader() === 'a', 'b observes a');
      const before = await leaseSpec('crash-test');
      await a.stop(); // no release: the lease still names a until it expires
      await eventually(() => b.isLeader(), 'b takes over after the lease expires');
      const taken = await leaseSpec('crash-test');
      assert.equal(taken.holderIdentity, 'b');
      assert.equal(taken.leaseTransitions, (before.leaseTransitions ?? 0) + 1, 'taken over directly from a, never released');
      assert.deepEqual(overlaps, []);
      await b.stop();
      assert.equal((await leaseSpec('crash-test')).holderIdentity, '', 'b released on stop');
    } finally {
      await Promise.all(electors.map((e) => e.stop()));
    }
  });
});
