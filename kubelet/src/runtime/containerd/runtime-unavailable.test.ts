// containerd down → RuntimeUnavailableError (retry, report the node), never a RuntimeError.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RuntimeUnavailableError } from '../types.js';
import { ContainerdRuntime } from './runtime.js';

describe('ContainerdRuntime without containerd', () => {
  let dir = '';
  let rt: ContainerdRuntime | undefined;
  after(async () => { rt?.close(); if (dir) await rm(dir, { recursive: true, force: true }); });

  it('reports RuntimeUnavailableError from status, lists, sandbox creation and image calls', async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-noctd-'));
    rt = new ContainerdRuntime({ socket: join(dir, 'missing.sock'), nodeName: 'n', stateDir: dir, podCIDR: '10.244.77.0/24', manageNodeNetwork: false });
    await assert.rejects(rt.status(), RuntimeUnavailableError);
    await assert.rejects(rt.version(), RuntimeUnavailableError);
    await assert.rejects(rt.listContainers(), RuntimeUnavailableError);
    await assert.rejects(rt.listImages(), RuntimeUnavailableError);
    await assert.rejects(rt.pullImage('nginx'), RuntimeUnavailableError);
    await assert.rejects(rt.runPodSandbox({
      uid: 'u', name: 'p', namespace: 'default', attempt: 0, hostname: 'p', hostNetwork: true, portMappings: [],
      labels: {}, annotations: {}, logDirectory: join(dir, 'logs'),
    }), RuntimeUnavailableError);
  });
});
