// Leader election against the in-memory fake API server, with time driven by a FakeClock:
// the elector's sleeps and deadlines only move when the test advances the clock, and the
// clock only advances once no API request is in flight, so every step is deterministic.
// (The two-process takeover against the real apiserver is tested in controller-manager/.)
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './api/meta.js';
import { ApiClient } from './client/api-client.js';
import { Resources } from './client/resources.js';
import {
  formatMicroTime, runLeaderElection, validateLeaderElectionTimings, type LeaderElectionOptions, type LeaderElector, type LeaseSpec,
} from './leader-election.js';
import { createLogger } from './logger.js';
import { FakeApiServer } from './testing/fake-api-server.js';
import { FakeClock, flush } from './testing/fake-clock.js';

const logger = createLogger('leader-election-test', 'silent');
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('leader election (fake API server, fake clock)', () => {
  let server: FakeApiServer;
  let api: ApiClient;
  let clock: FakeClock;
  let inflight = 0;
  const electors: LeaderElector[] = [];

  // A client that counts requests in flight, so the test can wait for real I/O to finish.
  const counted = {
    get: (...a: Parameters<ApiClient['get']>) => track(api.get(...a)),
    create: (...a: Parameters<ApiClient['create']>) => track(api.create(...a)),
    update: (...a: Parameters<ApiClient['update']>) => track(api.update(...a)),
  } as unknown as ApiClient;
  function track<T>(p: Promise<T>): Promise<T> {
    inflight++;
    return p.finally(() => { inflight--; });
  }

  /** Lets pending callbacks run until no request is in flight (bounded). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      await flush();
      if (inflight === 0) {
        await flush();
        if (inflight === 0) return;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.fail('API requests did not finish');
  }

  /** Advances fake time in 100 ms steps until pred holds; fails after maxMs of fake time. */
  async function until(pred: () => boolean, maxMs: number, what: string): Promise<number> {
    const start = clock.now();
    await settle();
    while (!pred()) {
      if (clock.now() - start >= maxMs) assert.fail(`not within ${maxMs} ms of fake time: ${what}`);
      clock.advance(100);
      await settle();
    }
    return clock.now() - start;
  }

  const lease = (): KubeObject | undefined => server.getObject(Resources.leases, 'kube-system', 'test');
  const spec = (): LeaseSpec => (lease()?.spec ?? {}) as LeaseSpec;

  function elect(identity: string, extra: Partial<LeaderElectionOptions> = {}) {
    const events: string[] = [];
    let signal: AbortSignal | undefined;
    const e = runLeaderElection({
      client: counted, namespace: 'kube-system', name: 'test', identity, logger, clock, random: () => 0,
      onStartedLeading: (s) => { signal = s; events.push('started'); },
      onStoppedLeading: () => events.push('stopped'),
      ...extra,
    });
    electors.push(e);
    return { e, events, signal: () => signal };
  }

  beforeEach(async () => {
    server = await FakeApiServer.start();
    api = new ApiClient({ server: server.url });
    clock = new FakeClock(Date.parse('2026-11-23T14:00:00Z'));
    inflight = 0;
  });
  afterEach(async () => {
    const stopping = electors.splice(0).map((e) => e.stop());
    await settle();
    await Promise.all(stopping);
    await api.close();
    await server.close();
  });

  it('creates the lease with upstream fields, renews it, and releases it on stop', async () => {
    const a = elect('a');
    await until(() => a.e.isLeader(), 0, 'a leads at once');
    assert.deepEqual(a.events, ['started']);
    assert.equal(a.e.leader(), 'a');
    const first = spec();
    assert.equal(first.holderIdentity, 'a');
    assert.equal(first.leaseDurationSeconds, 15);
    assert.equal(first.leaseTransitions, 0);
    assert.equal(first.acquireTime, '2026-11-23T14:00:00.000000Z');
    assert.match(first.renewTime!, MICRO);

    await until(() => spec().renewTime !== first.renewTime, 5_000, 'a renews');
    assert.equal(spec().acquireTime, first.acquireTime, 'renewal keeps acquireTime');
    assert.equal(spec().leaseTransitions, 0);
    assert.equal(a.e.healthy(), true);

    const stopped = a.e.stop();
    await settle();
    await stopped;
    assert.deepEqual(a.events, ['started', 'stopped']);
    assert.equal(a.signal()?.aborted, true);
    assert.equal(spec().holderIdentity, '');
    assert.equal(spec().leaseDurationSeconds, 1);
    assert.equal(a.e.isLeader(), false);
  });

  it('waits a full lease duration (of local time) before taking over a lease held by another', async () => {
    server.put(Resources.leases, {
      metadata: { name: 'test', namespace: 'kube-system' },
      spec: { holderIdentity: 'old', leaseDurationSeconds: 15, acquireTime: formatMicroTime(0), renewTime: formatMicroTime(0), leaseTransitions: 3 },
    });
    const newLeaders: string[] = [];
    const b = elect('b', { onNewLeader: (id) => newLeaders.push(id) });
    await until(() => b.e.leader() === 'old', 0, 'b observes the holder');
    await until(() => clock.now() >= Date.parse('2026-11-23T14:00:14.900Z'), 15_000, '14.9 s pass');
    assert.equal(b.e.isLeader(), false, 'an unchanged record is valid for leaseDurationSeconds after it was first seen');
    await until(() => b.e.isLeader(), 10_000, 'b takes over');
    assert.equal(spec().holderIdentity, 'b');
    assert.equal(spec().leaseTransitions, 4);
    assert.deepEqual(newLeaders, ['old', 'b']);
  });

  it('a released lease is taken over at the next retry', async () => {
    const a = elect('a');
    await until(() => a.e.isLeader(), 0, 'a leads');
    const b = elect('b');
    await until(() => b.e.leader() === 'a', 1_000, 'b sees a');
    const stopped = a.e.stop();
    await settle();
    await stopped;
    const waited = await until(() => b.e.isLeader(), 15_000, 'b takes over');
    assert.ok(waited <= 2 * 2_000, `b took over within a retry period or two (${waited} ms), not a lease duration`);
    assert.equal(spec().leaseTransitions, 1);
  });

  it('stops leading when renewals fail past the renew deadline, then campaigns again', async () => {
    const a = elect('a');
    await until(() => a.e.isLeader(), 0, 'a leads');
    const failing = server.intercept((r) => (r.path.includes('/leases') ? { status: 500, body: { kind: 'Status', code: 500, status: 'Failure', message: 'boom' } } : undefined));
    const lost = await until(() => !a.e.isLeader(), 20_000, 'a gives up');
    assert.ok(lost <= 2_000 + 10_000 + 100, `gave up within retryPeriod + renewDeadline (${lost} ms)`);
    assert.ok(lost < 15_000, 'before the lease could expire for others');
    assert.deepEqual(a.events, ['started', 'stopped']);
    assert.equal(a.signal()?.aborted, true);
    failing();
    await until(() => a.e.isLeader(), 5_000, 'a leads again once the API answers');
    assert.deepEqual(a.events, ['started', 'stopped', 'started']);
    assert.equal(spec().leaseTransitions, 0, 'still the same holder');
  });

  it('stops leading at once when another holder took the lease', async () => {
    const a = elect('a');
    await until(() => a.e.isLeader(), 0, 'a leads');
    const cur = lease()!;
    server.put(Resources.leases, { ...cur, spec: { ...cur.spec, holderIdentity: 'intruder', renewTime: formatMicroTime(clock.now()) } });
    const lost = await until(() => !a.e.isLeader(), 5_000, 'a notices');
    assert.ok(lost <= 2_000 + 100, `noticed at the next renewal (${lost} ms)`);
    assert.equal(a.e.leader(), 'intruder');
  });

  it('waits for the leading work to finish before releasing the lease', async () => {
    let finishWork!: () => void;
    const order: string[] = [];
    const a = elect('a', {
      onStartedLeading: (signal) => new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => { finishWork = () => { order.push(`work done, holder=${spec().holderIdentity}`); resolve(); }; });
      }),
      onStoppedLeading: () => order.push(`stopped, holder=${spec().holderIdentity}`),
    });
    await until(() => a.e.isLeader(), 0, 'a leads');
    const stopped = a.e.stop();
    await settle();
    finishWork();
    await settle();
    await stopped;
    assert.deepEqual(order, ['work done, holder=a', 'stopped, holder=']);
  });
});

describe('validateLeaderElectionTimings', () => {
  it('accepts the upstream defaults and rejects inconsistent timings', () => {
    validateLeaderElectionTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    assert.throws(() => validateLeaderElectionTimings({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), /leaseDuration must be greater than renewDeadline/);
    assert.throws(() => validateLeaderElectionTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline must be greater than retryPeriod\*1.2/);
    assert.throws(() => validateLeaderElectionTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 }), /retryPeriod must be greater than zero/);
  });

  it('formats MicroTime with six fractional digits', () => {
    assert.equal(formatMicroTime(Date.parse('2026-11-23T14:00:00.123Z')), '2026-11-23T14:00:00.123000Z');
  });
});
