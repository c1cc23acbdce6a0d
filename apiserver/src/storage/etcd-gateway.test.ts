import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { EtcdGatewayKV } from './etcd-gateway.js';

// The gateway backend must be indistinguishable from etcd3's gRPC kv for the calls the store makes.
describe('EtcdGatewayKV answers like etcd3', () => {
  let etcd: TestEtcd;
  let grpc: Etcd3;
  let gw: EtcdGatewayKV;
  before(async () => { etcd = await startTestEtcd(); grpc = new Etcd3({ hosts: etcd.endpoint }); gw = new EtcdGatewayKV(etcd.endpoint); });
  after(async () => { await gw.close(); grpc.close(); await etcd.stop(); });

  it('txn create-if-absent, CAS update, delete; range of one key and of a missing key', async () => {
    const key = Buffer.from('/registry/t/a');
    const put = (v: string) => ({ request_put: { key, value: Buffer.from(v) } });
    const created = await gw.txn({ compare: [{ key, target: 'Create' as any, result: 'Equal' as any, create_revision: '0' }], success: [put('v1')], failure: [{ request_range: { key } }] });
    assert.equal(created.succeeded, true);
    const again = await gw.txn({ compare: [{ key, target: 'Create' as any, result: 'Equal' as any, create_revision: '0' }], success: [put('v2')], failure: [{ request_range: { key } }] });
    assert.equal(again.succeeded, false);
    assert.equal(again.responses[0]!.response_range!.kvs[0]!.value.toString(), 'v1');
    const viaGw = await gw.range({ key });
    const viaGrpc = await grpc.kv.range({ key });
    assert.deepEqual(viaGw.kvs.map((k) => [k.key.toString(), k.value.toString(), k.mod_revision, k.create_revision, k.version]),
      viaGrpc.kvs.map((k) => [k.key.toString(), k.value.toString(), k.mod_revision, k.create_revision, k.version]));
    assert.equal(viaGw.header.revision, viaGrpc.header.revision);
    const rev = viaGw.kvs[0]!.mod_revision;
    const stale = await gw.txn({ compare: [{ key, target: 'Mod' as any, result: 'Equal' as any, mod_revision: String(Number(rev) - 1) }], success: [put('v3')] });
    assert.equal(stale.succeeded, false);
    const cas = await gw.txn({ compare: [{ key, target: 'Mod' as any, result: 'Equal' as any, mod_revision: rev }], success: [put('v3')] });
    assert.equal(cas.succeeded, true);
    assert.equal(Number(cas.header.revision), Number(rev) + 1);
    const del = await gw.txn({ compare: [], success: [{ request_delete_range: { key } }] });
    assert.equal(del.responses[0]!.response_delete_range!.deleted, '1');
    const missing = await gw.range({ key });
    assert.deepEqual(missing.kvs, []);
    assert.equal(missing.more, false);
  });

  it('etcd errors carry etcd\'s message (mapped to Status errors by storage/etcd.ts)', async () => {
    await assert.rejects(gw.range({ key: Buffer.from('/x'), revision: '999999' }), /future revision|required revision/);
  });
});
