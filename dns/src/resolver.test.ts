import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve, type ResolverSource } from './resolver.js';
import { RCODE, TYPE, buildQuery, buildResponse, decodeAnswerAddresses, parseQuery } from './wire.js';

const services: Record<string, any> = {
  'dev/db-service': { metadata: { name: 'db-service', namespace: 'dev' }, spec: { clusterIP: '10.96.4.4', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] } },
  'dev/peers': { metadata: { name: 'peers', namespace: 'dev' }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 80 }] } },
  'dev/ext': { metadata: { name: 'ext', namespace: 'dev' }, spec: { type: 'ExternalName', externalName: 'example.org' } },
};
const endpoints: Record<string, any> = {
  'dev/peers': { subsets: [{ addresses: [{ ip: '10.244.1.7', hostname: 'peer-1' }, { ip: '10.244.0.3' }], notReadyAddresses: [{ ip: '10.244.2.2' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
};
const src: ResolverSource = {
  service: (ns, n) => services[`${ns}/${n}`],
  endpoints: (ns, n) => endpoints[`${ns}/${n}`],
  hasNamespace: (ns) => ['dev', 'default', 'kube-system'].includes(ns),
};
const r = (name: string, type: number = TYPE.A) => resolve(name, type, src, { zone: 'cluster.local', ttl: 5 });
const addrs = (a: ReturnType<typeof r>) => a.answers.map((x) => (x.data as { address: string }).address);

test('services: ClusterIP, headless (ready endpoints only), hostnames, SRV', () => {
  assert.deepEqual(addrs(r('db-service.dev.svc.cluster.local')), ['10.96.4.4']);
  assert.deepEqual(addrs(r('DB-Service.dev.svc.cluster.local.')), ['10.96.4.4']);
  assert.deepEqual(addrs(r('peers.dev.svc.cluster.local')), ['10.244.0.3', '10.244.1.7']);
  assert.deepEqual(addrs(r('peer-1.peers.dev.svc.cluster.local')), ['10.244.1.7']);
  const srv = r('_pg._tcp.db-service.dev.svc.cluster.local', TYPE.SRV);
  assert.deepEqual(srv.answers.map((a) => a.data), [{ type: TYPE.SRV, priority: 0, weight: 100, port: 5432, target: 'db-service.dev.svc.cluster.local' }]);
});

test('NXDOMAIN for missing names in the zone, NODATA for other types, REFUSED outside the zone', () => {
  assert.equal(r('nope.dev.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  assert.equal(r('db-service.nope.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  assert.equal(r('ext.dev.svc.cluster.local').rcode, RCODE.NXDOMAIN);
  const aaaa = r('db-service.dev.svc.cluster.local', TYPE.AAAA);
  assert.equal(aaaa.rcode, RCODE.NOERROR);
  assert.equal(aaaa.answers.length, 0);
  assert.equal(aaaa.authority[0]!.data.type, TYPE.SOA);
  assert.equal(r('dev.svc.cluster.local').rcode, RCODE.NOERROR);
  assert.equal(r('example.org').rcode, RCODE.REFUSED);
  assert.equal(r('db-service.dev.svc.cluster.local.example.org').rcode, RCODE.REFUSED);
});

test('pod records from dashed IPs', () => {
  assert.deepEqual(addrs(r('10-244-1-7.dev.pod.cluster.local')), ['10.244.1.7']);
  assert.equal(r('10-244-1-999.dev.pod.cluster.local').rcode, RCODE.NXDOMAIN);
});

test('wire: a query round-trips; hostile packets parse to undefined; big answers truncate', () => {
  const q = buildQuery(0x1234, 'db-service.dev.svc.cluster.local');
  const parsed = parseQuery(q)!;
  assert.equal(parsed.question.name, 'db-service.dev.svc.cluster.local');
  const res = decodeAnswerAddresses(buildResponse(q, parsed, r(parsed.question.name)));
  assert.deepEqual(res, { id: 0x1234, rcode: 0, truncated: false, addresses: ['10.96.4.4'], answerCount: 1 });
  for (const bad of [Buffer.alloc(0), Buffer.alloc(11), Buffer.from('000000010000000000000000ff', 'hex'), Buffer.concat([q.subarray(0, 14), Buffer.from([200])])]) {
    assert.equal(parseQuery(bad), undefined);
  }
  const many = { rcode: 0, aa: true, authority: [], answers: Array.from({ length: 60 }, (_, i) => ({ name: 'x.cluster.local', ttl: 5, data: { type: TYPE.A as 1, address: `10.0.0.${i}` } })) };
  const truncated = decodeAnswerAddresses(buildResponse(q, parsed, many, 512));
  assert.equal(truncated.truncated, true);
  assert.equal(truncated.answerCount, 0);
});
