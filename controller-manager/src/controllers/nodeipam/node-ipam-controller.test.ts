// Node IPAM against the real apiserver: unique /24s from the cluster CIDR, existing
// assignments kept across a controller restart, blocks released when nodes go.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resources, type KubeObject } from '@k8ts/shared';
import { eventually } from '../../testing/poll.js';
import { startTestCluster, type TestCluster } from '../../testing/cluster.js';

let c: TestCluster;

before(async () => {
  c = await startTestCluster(['nodeipam'], { clusterCIDR: '10.244.0.0/22', nodeCIDRMaskSize: 24 });
});
after(async () => { await c?.stop(); });

const createNode = (name: string, spec: Record<string, unknown> = {}): Promise<KubeObject> =>
  c.client.create(Resources.nodes, { metadata: { name }, spec });
const cidrOf = async (name: string): Promise<string | undefined> => {
  const n = await c.client.get(Resources.nodes, undefined, name);
  if (n.spec?.podCIDR) assert.deepEqual(n.spec.podCIDRs, [n.spec.podCIDR]);
  return n.spec?.podCIDR || undefined;
};

describe('node IPAM', () => {
  it('assigns a distinct /24 from the cluster CIDR to each node', async () => {
    await createNode('a');
    await createNode('b');
    const a = await eventually(() => cidrOf('a'), 'a gets a podCIDR');
    const b = await eventually(() => cidrOf('b'), 'b gets a podCIDR');
    assert.notEqual(a, b);
    for (const x of [a, b]) assert.match(x, /^10\.244\.[0-3]\.0\/24$/);
  });

  it('keeps existing assignments across a restart and never hands them out twice', async () => {
    const before = [await cidrOf('a'), await cidrOf('b')];
    await c.stopControllers();
    await createNode('manual', { podCIDR: '10.244.3.0/24' }); // set by hand while the controller was down
    await createNode('c');
    await c.restartControllers();
    const cc = await eventually(() => cidrOf('c'), 'c gets a podCIDR after the restart');
    assert.deepEqual([await cidrOf('a'), await cidrOf('b')], before);
    assert.ok(![...before, '10.244.3.0/24'].includes(cc), `${cc} must be new`);
  });

  it('releases the block of a deleted node, and reports exhaustion with a Warning', async () => {
    // the /22 holds 4 blocks: a, b, c, manual → full
    await createNode('d');
    await eventually(async () => {
      const evs = await c.client.list(Resources.events, { namespace: 'default' });
      return evs.items.some((e) => e.reason === 'CIDRNotAvailable' && e.involvedObject?.name === 'd' && e.type === 'Warning');
    }, 'CIDRNotAvailable event for d');
    const freed = await cidrOf('a');
    await c.client.delete(Resources.nodes, undefined, 'a');
    const d = await eventually(() => cidrOf('d'), 'd gets the released block', { timeoutMs: 60_000 });
    assert.equal(d, freed);
  });
});
