// The pure rules of the kubelet proxy: container choice and state checks (upstream's
// messages), parameter translation, kubelet address.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { checkLogsAvailable, checkRunning, logContainerId, resolveContainer } from '@k8ts/shared/pod-containers';
import { logRequest, streamRequest } from './connect-params.js';
import { kubeletLocation } from './kubelet-location.js';

const pod = (containers: string[], statuses: unknown[] = [], inits: string[] = []): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
  spec: { nodeName: 'n', containers: containers.map((name) => ({ name })), ...(inits.length ? { initContainers: inits.map((name) => ({ name })) } : {}) },
  status: { containerStatuses: statuses },
} as KubeObject);

const message = (fn: () => unknown) => {
  try { fn(); } catch (e) { return (e as { status: { code: number; message: string } }).status; }
  return undefined;
};

describe('resolveContainer', () => {
  it('takes the only container, or the named one', () => {
    assert.equal(resolveContainer(pod(['a']), undefined), 'a');
    assert.equal(resolveContainer(pod(['a', 'b']), 'b'), 'b');
    assert.equal(resolveContainer(pod(['a'], [], ['init']), 'init'), 'init');
  });
  it('asks for a name when there are several, as upstream words it', () => {
    assert.equal(message(() => resolveContainer(pod(['a', 'b']), undefined))?.code, 400);
    assert.equal(message(() => resolveContainer(pod(['a', 'b']), undefined))?.message, 'a container name must be specified for pod p, choose one of: [a b]');
    assert.equal(message(() => resolveContainer(pod(['a', 'b'], [], ['i']), undefined))?.message,
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]');
    assert.equal(message(() => resolveContainer(pod(['a']), 'x'))?.message, 'container x is not valid for pod p');
  });
});

describe('container state checks', () => {
  const waiting = (reason: string) => ({ name: 'a', state: { waiting: { reason } } });
  it('explains a container that has not started', () => {
    assert.equal(message(() => checkLogsAvailable(pod(['a'], [waiting('ContainerCreating')]), 'a', false))?.message,
      'container "a" in pod "p" is waiting to start: ContainerCreating');
    assert.equal(message(() => checkLogsAvailable(pod(['a'], [waiting('ErrImagePull')]), 'a', false))?.message,
      'container "a" in pod "p" is waiting to start: image can\'t be pulled');
    assert.equal(message(() => checkRunning(pod(['a'], [waiting('ImagePullBackOff')]), 'a'))?.code, 400);
  });
  it('serves logs of running, terminated and restarted containers; previous needs a terminated one', () => {
    checkLogsAvailable(pod(['a'], [{ name: 'a', state: { running: {} } }]), 'a', false);
    checkLogsAvailable(pod(['a'], [{ name: 'a', state: { terminated: { containerID: 'x://1' } } }]), 'a', false);
    checkLogsAvailable(pod(['a'], [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'x://1' } } }]), 'a', false);
    checkLogsAvailable(pod(['a'], [{ name: 'a', state: { running: {} }, lastState: { terminated: { containerID: 'x://0' } } }]), 'a', true);
    assert.equal(message(() => checkLogsAvailable(pod(['a'], [{ name: 'a', state: { running: {} } }]), 'a', true))?.message,
      'previous terminated container "a" in pod "p" not found');
  });
  it('leaves containers without a status to the kubelet', () => {
    checkLogsAvailable(pod(['a']), 'a', false);
    checkRunning(pod(['a']), 'a');
  });
});

describe('logContainerId (the kubelet side)', () => {
  it('maps to the runtime id of the current or previous instance', () => {
    const p = pod(['a'], [{ name: 'a', containerID: 'containerd://abc', state: { running: {} }, lastState: { terminated: { containerID: 'containerd://old' } } }]);
    assert.equal(logContainerId(p, 'a', false), 'abc');
    assert.equal(logContainerId(p, 'a', true), 'old');
    assert.equal(logContainerId(pod(['a'], [{ name: 'a', state: { terminated: { containerID: 'containerd://done' } } }]), 'a', false), 'done');
  });
  it('explains what it cannot map', () => {
    assert.equal(message(() => logContainerId(pod(['a']), 'a', false))?.message, 'container "a" in pod "p" is waiting to start - no logs yet');
    assert.equal(message(() => logContainerId(pod(['a'], [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }]), 'a', false))?.message,
      'container "a" in pod "p" is waiting to start: ContainerCreating');
  });
});

describe('parameter translation', () => {
  it('passes log options on and validates them as PodLogOptions', () => {
    assert.deepEqual(logRequest({ container: 'c', follow: 'true', tailLines: '10', timestamps: '1', previous: 'false', limitBytes: '5', sinceSeconds: '60' }, 'p'),
      { container: 'c', previous: false, query: 'follow=true&timestamps=true&tailLines=10&limitBytes=5&sinceSeconds=60' });
    const bad = message(() => logRequest({ tailLines: '-1', limitBytes: '0', follow: 'maybe' }, 'p'));
    assert.equal(bad?.code, 422);
    assert.match(bad!.message, /PodLogOptions "p" is invalid: .*follow.*tailLines: Invalid value: -1: must be greater than or equal to 0.*limitBytes/);
    assert.equal(message(() => logRequest({ sinceSeconds: '5', sinceTime: '2024-01-01T00:00:00Z' }, 'p'))?.code, 422);
  });
  it('renames exec stream flags to the kubelet\'s and keeps every command word', () => {
    assert.deepEqual(streamRequest({ command: ['sh', '-c', 'echo a b'], container: 'c', stdin: 'true', stdout: 'true', stderr: 'true', tty: 'false' }, true),
      { container: 'c', query: 'command=sh&command=-c&command=echo+a+b&input=1&output=1&error=1' });
    assert.deepEqual(streamRequest({ command: 'ls', stdout: 'true', tty: 'true' }, false), { query: 'output=1&tty=1' });
  });
});

describe('kubeletLocation', () => {
  const node = (status: unknown): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status } as KubeObject);
  it('prefers InternalIP and the published kubelet port', () => {
    assert.deepEqual(kubeletLocation(node({ addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 12345 } } })),
      { host: '127.0.0.1', port: 12345 });
    assert.deepEqual(kubeletLocation(node({ addresses: [{ type: 'Hostname', address: 'n' }] })), { host: 'n', port: 10250 });
  });
  it('answers 503 for a node without addresses', () => {
    assert.equal(message(() => kubeletLocation(node({})))?.code, 503);
  });
});
