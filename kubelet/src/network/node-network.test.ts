// Leak guards of the node network (ENVIRONMENT.md "Network safety"), against the real kernel.
// Needs root and iproute2 + iptables (package set `node`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../sys/run-command.js';
import { ensureNodeNetwork, teardownNodeNetwork } from './node-network.js';

const isRoot = process.getuid?.() === 0;
const cfg = { bridge: 'k8ts-nettest', podCIDR: '10.244.249.0/24', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' };

async function defaultGateway(): Promise<string | undefined> {
  return /via (\S+)/.exec((await runCommand('ip', ['-4', 'route', 'show', 'default'])).stdout)?.[1];
}

describe('ensureNodeNetwork', { skip: isRoot ? false : 'needs root (ip, iptables)' }, () => {
  before(async () => {
    await ensureNodeNetwork(cfg);
    await ensureNodeNetwork(cfg); // idempotent
  });
  after(async () => { await teardownNodeNetwork(cfg); });

  it('creates the bridge with the gateway address and a route for the pod CIDR', async () => {
    const addr = await runCommand('ip', ['-4', '-o', 'addr', 'show', 'dev', cfg.bridge]);
    assert.match(addr.stdout, /inet 10\.244\.249\.1\/24/);
    const r = await runCommand('ip', ['route', 'get', '10.244.249.77']);
    assert.match(r.stdout, new RegExp(`dev ${cfg.bridge}`));
    assert.equal((await runCommand('ip', ['-o', 'addr', 'show', 'dev', cfg.bridge])).stdout.match(/inet /g)?.length, 1);
  });

  it('does not route an address of an unknown pod CIDR or an un-DNATed ClusterIP via the default gateway', async () => {
    const gw = await defaultGateway();
    const pod = await runCommand('ip', ['route', 'get', '10.244.250.7']);
    assert.notEqual(pod.code, 0, `10.244.250.7 must be unreachable, got: ${pod.stdout}`);
    assert.match(pod.stderr + pod.stdout, /unreachable|No route/i);
    const svc = await runCommand('ip', ['route', 'get', '10.96.0.10']);
    assert.equal(svc.code, 0, svc.stderr);
    assert.match(svc.stdout, /dev k8ts-/);
    if (gw) assert.doesNotMatch(svc.stdout, new RegExp(`via ${gw.replace(/\./g, '\\.')}`));
  });

  it('enables forwarding and masquerades pod egress only in a k8ts chain', async () => {
    const { readFile } = await import('node:fs/promises');
    assert.equal((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(), '1');
    const nat = await runCommand('iptables', ['-w', '-t', 'nat', '-S', 'K8TS-POSTROUTING']);
    assert.match(nat.stdout, /-A K8TS-POSTROUTING -s 10\.244\.249\.0\/24 ! -d 10\.244\.0\.0\/16 .*-j MASQUERADE/);
    assert.equal(nat.stdout.split('\n').filter((l) => l.includes('10.244.249.0/24')).length, 1);
    const post = await runCommand('iptables', ['-w', '-t', 'nat', '-S', 'POSTROUTING']);
    assert.match(post.stdout, /-A POSTROUTING -j K8TS-POSTROUTING/);
  });
});
