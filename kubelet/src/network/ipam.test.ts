import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HostLocalIpam, IpamExhaustedError } from './ipam.js';

describe('HostLocalIpam', () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
  const fresh = async () => { const d = await mkdtemp(join(tmpdir(), 'k8ts-ipam-')); dirs.push(d); return d; };

  it('hands out host addresses after the gateway, idempotently per owner', async () => {
    const ipam = new HostLocalIpam(await fresh(), '10.244.5.0/24');
    assert.equal(await ipam.allocate('a'), '10.244.5.2');
    assert.equal(await ipam.allocate('b'), '10.244.5.3');
    assert.equal(await ipam.allocate('a'), '10.244.5.2');
  });

  it('survives a restart without reusing live addresses, and does not reuse a released one at once', async () => {
    const dir = await fresh();
    const one = new HostLocalIpam(dir, '10.244.6.0/24');
    await one.allocate('a');
    await one.allocate('b');
    await one.release('a');
    const two = new HostLocalIpam(dir, '10.244.6.0/24');
    assert.equal(await two.lookup('b'), '10.244.6.3');
    assert.equal(await two.allocate('c'), '10.244.6.4');
  });

  it('never allocates the network, gateway or broadcast address and reports exhaustion', async () => {
    const ipam = new HostLocalIpam(await fresh(), '10.244.7.0/30'); // .0 net, .1 gw, .2 host, .3 bcast
    assert.equal(await ipam.allocate('a'), '10.244.7.2');
    await assert.rejects(ipam.allocate('b'), IpamExhaustedError);
    await ipam.release('a');
    assert.equal(await ipam.allocate('b'), '10.244.7.2');
  });

  it('concurrent allocations get distinct addresses', async () => {
    const ipam = new HostLocalIpam(await fresh(), '10.244.8.0/24');
    const ips = await Promise.all(Array.from({ length: 20 }, (_, i) => ipam.allocate(`o${i}`)));
    assert.equal(new Set(ips).size, 20);
  });
});
