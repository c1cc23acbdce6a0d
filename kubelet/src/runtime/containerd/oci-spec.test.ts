import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildOciSpec, imageEnv, mergeEnv, numericUser, userFromPasswd } from './oci-spec.js';

type Rec = Record<string, any>;

describe('OCI spec (what ctr run built)', () => {
  const base = {
    id: 'c1', namespace: 'k8ts-node-1', argv: ['sleep', '1'], env: ['PATH=/bin', 'X=1'], cwd: '/tmp',
    user: { uid: 0, gid: 0, additionalGids: [0] }, hostname: 'host', mounts: [{ source: '/a', destination: '/b', readOnly: true }],
  };

  it('joins the pod namespaces, binds mounts after the defaults, sets the cgroup path and limits', () => {
    const s = buildOciSpec({ ...base, netns: { network: '/run/netns/x', uts: '/run/k8ts/uts/x' }, memoryBytes: 1000, cpu: { quota: 50000, period: 100000 } }) as Rec;
    assert.deepEqual(s.process.args, ['sleep', '1']);
    assert.equal(s.process.cwd, '/tmp');
    assert.deepEqual(s.process.env, ['PATH=/bin', 'X=1']);
    assert.deepEqual(s.linux.namespaces, [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts', path: '/run/k8ts/uts/x' }, { type: 'mount' }, { type: 'network', path: '/run/netns/x' }]);
    assert.deepEqual(s.mounts.at(-1), { destination: '/b', type: 'bind', source: '/a', options: ['rbind', 'ro'] });
    assert.equal(s.mounts[0].destination, '/proc');
    assert.equal(s.linux.cgroupsPath, '/k8ts-node-1/c1');
    assert.deepEqual(s.linux.resources.memory, { limit: 1000 });
    assert.deepEqual(s.linux.resources.cpu, { shares: 1024, quota: 50000, period: 100000 });
  });

  it('host network: no network namespace, HOSTNAME in the env', () => {
    const s = buildOciSpec(base) as Rec;
    assert.ok(!s.linux.namespaces.some((n: Rec) => n.type === 'network'));
    assert.ok(s.process.env.includes('HOSTNAME=host'));
    assert.equal(s.linux.resources.memory, undefined);
  });

  it('env: later entries replace earlier ones; a default PATH when the image has none', () => {
    assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['A=3']), ['A=3', 'B=2']);
    assert.ok(imageEnv({ entrypoint: [], cmd: [], env: ['X=1'], exposedPorts: [] })[0]!.startsWith('PATH='));
    assert.deepEqual(imageEnv({ entrypoint: [], cmd: [], env: ['PATH=/x'], exposedPorts: [] }), ['PATH=/x']);
  });

  it('users: numeric without files, names from passwd/group', () => {
    assert.deepEqual(numericUser(undefined), { uid: 0, gid: 0, additionalGids: [0] });
    assert.deepEqual(numericUser('1000:2000'), { uid: 1000, gid: 2000, additionalGids: [2000] });
    assert.equal(numericUser('nginx'), undefined);
    const passwd = 'root:x:0:0:root:/root:/bin/sh\nnginx:x:101:101:nginx:/:/sbin/nologin\n';
    const group = 'root:x:0:\nnginx:x:101:\nwww:x:33:nginx\n';
    assert.deepEqual(userFromPasswd('nginx', passwd, group), { uid: 101, gid: 101, additionalGids: [101, 33] });
    assert.deepEqual(userFromPasswd('nginx:www', passwd, group), { uid: 101, gid: 33, additionalGids: [33] });
    assert.throws(() => userFromPasswd('nobody', passwd, group), /unable to find user nobody/);
  });
});
