import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { podStatusCells } from './status-column.js';
import { podTable } from './table.js';

const now = new Date('2024-01-01T01:00:00Z');

function pod(status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'p', creationTimestamp: '2024-01-01T00:00:00Z', ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}

const running = (ready = true, restartCount = 0, extra: Record<string, unknown> = {}) =>
  ({ name: 'app', ready, restartCount, state: { running: { startedAt: '2024-01-01T00:00:00Z' } }, ...extra });

test('pending, running, waiting reasons', () => {
  assert.deepEqual(podStatusCells(pod({ phase: 'Pending' }), now), { ready: '0/1', status: 'Pending', restarts: '0' });
  assert.deepEqual(podStatusCells(pod({ phase: 'Running', containerStatuses: [running()] }), now), { ready: '1/1', status: 'Running', restarts: '0' });
  for (const reason of ['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff']) {
    const p = pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason } } }] });
    assert.equal(podStatusCells(p, now).status, reason);
  }
});

test('terminated containers: Completed, Error, ExitCode, Signal', () => {
  const term = (t: Record<string, unknown>) => pod({ phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: t } }] });
  assert.equal(podStatusCells(term({ exitCode: 0, reason: 'Completed' }), now).status, 'Completed');
  assert.equal(podStatusCells(term({ exitCode: 1, reason: 'Error' }), now).status, 'Error');
  assert.equal(podStatusCells(term({ exitCode: 3 }), now).status, 'ExitCode:3');
  assert.equal(podStatusCells(term({ exitCode: 137, signal: 9 }), now).status, 'Signal:9');
});

test('init containers', () => {
  const spec = { initContainers: [{ name: 'init-a', image: 'busybox' }, { name: 'init-b', image: 'busybox' }] };
  const waitingInit = pod({
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'init-a', ready: false, restartCount: 0, state: { running: {} } },
      { name: 'init-b', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
    ],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  }, spec);
  assert.equal(podStatusCells(waitingInit, now).status, 'Init:0/2');
  const second = pod({
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'init-a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'init-b', ready: false, restartCount: 0, state: { running: {} } },
    ],
  }, spec);
  assert.equal(podStatusCells(second, now).status, 'Init:1/2');
  const crash = pod({
    phase: 'Pending',
    initContainerStatuses: [{ name: 'init-a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
  }, spec);
  assert.deepEqual(podStatusCells(crash, now), { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4' });
  const failed = pod({
    phase: 'Failed',
    initContainerStatuses: [{ name: 'init-a', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
  }, spec);
  assert.equal(podStatusCells(failed, now).status, 'Init:Error');
});

test('restarts show when the last one happened', () => {
  const p = pod({
    phase: 'Running',
    containerStatuses: [running(true, 5, { lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:55:00Z' } } })],
  });
  assert.equal(podStatusCells(p, now).restarts, '5 (5m ago)');
});

test('Terminating, NodeLost and Unknown', () => {
  const deleting = pod({ phase: 'Running', containerStatuses: [running()] }, {}, { deletionTimestamp: '2024-01-01T00:59:00Z' });
  assert.equal(podStatusCells(deleting, now).status, 'Terminating');
  const done = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, {}, { deletionTimestamp: '2024-01-01T00:59:00Z' });
  assert.equal(podStatusCells(done, now).status, 'Completed');
  assert.equal(podStatusCells(pod({ phase: 'Running', reason: 'NodeLost' }), now).status, 'NodeLost');
  assert.equal(podStatusCells(pod({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: '2024-01-01T00:59:00Z' }), now).status, 'Unknown');
});

test('a completed container next to a running one reads Running / NotReady', () => {
  const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] };
  const status = (ready: boolean) => ({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
      { name: 'b', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ],
  });
  assert.deepEqual(podStatusCells(pod(status(true), spec), now), { ready: '1/2', status: 'Running', restarts: '0' });
  assert.equal(podStatusCells(pod(status(false), spec), now).status, 'NotReady');
});

test('table cells, wide columns included', () => {
  const p = pod({ phase: 'Running', podIPs: [{ ip: '10.244.1.2' }], containerStatuses: [running()] }, { nodeName: 'node-1' });
  assert.deepEqual(podTable.cells(p, now), ['p', '1/1', 'Running', '0', '60m', '10.244.1.2', 'node-1', '<none>', '<none>']);
  assert.deepEqual(podTable.columns.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
});
