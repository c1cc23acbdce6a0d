import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { EtcdGatewayKV } from './etcd-gateway.js';
import { EtcdGrpcKV } from './etcd-grpc-kv.js';
import { mapEtcdError } from './etcd.js';
import { eventually } from '@k8ts/shared/testing/poll';

// Each alternative KV backend must be indistinguishable from etcd3's gRPC kv for the calls the store makes.
for (const [name, make] of [
  ['EtcdGatewayKV', (endpoint: string) => new EtcdGatewayKV(endpoint)],
  ['EtcdGrpcKV', (endpoint: string) => new EtcdGrpcKV(endpoint)],
] as const) describe(`${name} answers like etcd3`, () => {
  let etcd: TestEtcd;
  let grpc: Etcd3;
  let gw: EtcdGatewayKV | EtcdGrpcKV;
  before(async () => { etcd = await startTestEtcd(); grpc = new Etcd3({ hosts: etcd.endpoint }); gw = make(etcd.endpoint); });
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

  it('paged prefix ranges, count_only and reads at an older revision match etcd3', async () => {
    const value = Buffer.alloc(3000, 'v');
    for (let i = 0; i < 25; i++) await grpc.put(`/registry/page/k${String(i).padStart(3, '0')}`).value(value);
    const rangeEnd = Buffer.from('/registry/page0');
    const a = await gw.range({ key: Buffer.from('/registry/page/'), range_end: rangeEnd, limit: '10' });
    const b = await grpc.kv.range({ key: Buffer.from('/registry/page/'), range_end: rangeEnd, limit: '10' });
    const view = (r: typeof a) => ({ keys: r.kvs.map((k) => k.key.toString()), values: r.kvs.map((k) => k.value.length), more: r.more, count: r.count, rev: r.header.revision, mods: r.kvs.map((k) => k.mod_revision) });
    assert.deepEqual(view(a), view(b));
    assert.equal(a.more, true);
    assert.equal(a.count, '25');
    const counted = await gw.range({ key: Buffer.from('/registry/page/'), range_end: rangeEnd, count_only: true });
    assert.equal(counted.count, '25');
    assert.deepEqual(counted.kvs, []);
    const old = Number(a.kvs[0]!.mod_revision);
    const atOld = await gw.range({ key: Buffer.from('/registry/page/'), range_end: rangeEnd, revision: String(old) });
    assert.equal(atOld.kvs.length, 1);
  });

  it('compare on a value and delete with prev_kv', async () => {
    const key = Buffer.from('/registry/t/val');
    await grpc.put(key).value('');
    const emptyEq = await gw.txn({ compare: [{ key, target: 'Value' as any, result: 'Equal' as any, value: Buffer.alloc(0) }], success: [{ request_put: { key, value: Buffer.from('x') } }] });
    assert.equal(emptyEq.succeeded, true);
    const del = await gw.txn({ compare: [{ key, target: 'Value' as any, result: 'Equal' as any, value: Buffer.from('x') }], success: [{ request_delete_range: { key, prev_kv: true } }] });
    assert.equal(del.succeeded, true);
    const d = del.responses[0]!.response_delete_range!;
    assert.equal(d.deleted, '1');
    assert.equal(d.prev_kvs[0]!.value.toString(), 'x');
  });

  it('a value over the HTTP/2 frame and window sizes, and 300 calls at once', async () => {
    const key = Buffer.from('/registry/t/big');
    const big = Buffer.alloc(1_200_000, 'b');
    const put = await gw.txn({ compare: [], success: [{ request_put: { key, value: big } }] });
    assert.equal(put.succeeded, true);
    const got = await gw.range({ key });
    assert.equal(got.kvs[0]!.value.length, big.length);
    assert.ok(got.kvs[0]!.value.equals(big));
    const many = await Promise.all(Array.from({ length: 300 }, (_, i) =>
      gw.txn({ compare: [], success: [{ request_put: { key: Buffer.from(`/registry/t/many-${i}`), value: Buffer.alloc(1024, 'm') } }] })));
    assert.equal(new Set(many.map((r) => r.header.revision)).size, 300);
  });

  it('a stopped etcd becomes 503 and the client recovers when it is back', async () => {
    const key = Buffer.from('/registry/t/outage');
    await etcd.kill();
    try {
      const err = await gw.range({ key }).then(() => undefined, (e: unknown) => e);
      assert.ok(err, 'the call must fail while etcd is down');
      assert.equal((mapEtcdError(err) as { status?: { code: number } }).status?.code, 503);
    } finally {
      await etcd.restart();
    }
    await eventually(() => gw.range({ key }).then(() => true), 'the client reaches etcd again', { timeoutMs: 60_000, intervalMs: 100 });
  });
});
