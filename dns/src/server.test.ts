// The DNS process against the real apiserver: UDP and TCP answers follow Services and
// Endpoints; kube-system/kube-dns is registered; garbage never stops the server.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ApiClient, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { startDnsServer, type DnsServer } from './server.js';
import { RCODE, buildQuery, decodeAnswerAddresses } from './wire.js';

function udpQuery(port: number, name: string, raw?: Buffer): Promise<ReturnType<typeof decodeAnswerAddresses> | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => { s.close(); resolve(undefined); }, 1000);
    s.on('message', (m) => { clearTimeout(t); s.close(); try { resolve(decodeAnswerAddresses(m)); } catch { resolve(undefined); } });
    s.send(raw ?? buildQuery(7, name), port, '127.0.0.1');
  });
}

function tcpQuery(port: number, name: string): Promise<ReturnType<typeof decodeAnswerAddresses>> {
  return new Promise((resolve, reject) => {
    const q = buildQuery(9, name);
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { sock.end(); resolve(decodeAnswerAddresses(buf.subarray(2))); }
    });
    sock.on('error', reject);
    const head = Buffer.alloc(2);
    head.writeUInt16BE(q.length);
    sock.write(Buffer.concat([head, q]));
  });
}

describe('cluster DNS server', () => {
  let t: TestApiServer;
  let client: ApiClient;
  let dns: DnsServer;
  before(async () => {
    t = await startTestApiServer();
    client = new ApiClient({ server: t.api.url });
    dns = await startDnsServer({ connection: { server: t.api.url }, bindAddress: '127.0.0.1', port: 0, healthPort: 0, register: { clusterIP: '10.96.0.10', advertiseAddress: '127.0.0.1' } });
  });
  after(async () => { await dns?.close(); await client?.close(); await t?.stop(); });

  async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    const end = Date.now() + 15_000;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('registers kube-system/kube-dns at 10.96.0.10 with Endpoints pointing at itself', async () => {
    const svc = await until('kube-dns Service', () => client.get(Resources.services, 'kube-system', 'kube-dns').catch(() => undefined));
    assert.equal(svc.spec.clusterIP, '10.96.0.10');
    const ep = await until('kube-dns Endpoints', () => client.get(Resources.endpoints, 'kube-system', 'kube-dns').catch(() => undefined));
    assert.deepEqual(ep.subsets[0].addresses, [{ ip: '127.0.0.1' }]);
    assert.equal(ep.subsets[0].ports[0].port, dns.port);
  });

  it('answers a new Service over UDP and TCP, follows deletion, and survives garbage', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'dev' } });
    const svc = await client.create<KubeObject>(Resources.services, { metadata: { name: 'db-service', namespace: 'dev' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } });
    const name = 'db-service.dev.svc.cluster.local';
    const a = await until('the A record', async () => { const r = await udpQuery(dns.port, name); return r?.addresses.length ? r : undefined; });
    assert.deepEqual(a.addresses, [svc.spec.clusterIP]);
    assert.deepEqual((await tcpQuery(dns.port, name)).addresses, [svc.spec.clusterIP]);
    assert.equal((await udpQuery(dns.port, 'www.example.org'))!.rcode, RCODE.REFUSED);
    // garbage: no answer or FORMERR, and the server keeps answering
    await udpQuery(dns.port, '', Buffer.from('not dns at all'));
    await udpQuery(dns.port, '', Buffer.alloc(3));
    await client.delete(Resources.services, 'dev', 'db-service');
    await until('NXDOMAIN after deletion', async () => ((await udpQuery(dns.port, name))?.rcode === RCODE.NXDOMAIN ? true : undefined));
    const metrics = await (await fetch(`http://127.0.0.1:${dns.healthPort}/metrics`)).text();
    assert.match(metrics, /k8ts_dns_responses_total\{rcode="NXDOMAIN"\} [1-9]/);
  });
});
