import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointChain, serviceChain } from './chain-names.js';
import { renderRules } from './render.js';
import type { ServicePortRule } from './service-model.js';

const rule = (over: Partial<ServicePortRule>): ServicePortRule => ({
  name: 'default/web', namespace: 'default', service: 'web', clusterIP: '10.96.0.20', port: 80, protocol: 'TCP', endpoints: [], ...over,
});

test('chain names are stable, upstream-shaped and within iptables\' 28-character limit', () => {
  const a = serviceChain('default/web:http', 'TCP');
  assert.match(a, /^KUBE-SVC-[A-Z2-7]{16}$/);
  assert.equal(a, serviceChain('default/web:http', 'tcp'));
  assert.notEqual(a, serviceChain('default/web:http', 'UDP'));
  assert.ok(endpointChain('default/web:http', 'TCP', '10.244.0.9:8080').length <= 28);
});

test('snapshot: one ClusterIP+NodePort service with two endpoints, one without endpoints, one stale chain', () => {
  const svc = serviceChain('default/web', 'TCP');
  const sepA = endpointChain('default/web', 'TCP', '10.244.0.9:8080');
  const sepB = endpointChain('default/web', 'TCP', '10.244.1.3:8080');
  const out = renderRules([
    rule({ nodePort: 32600, endpoints: [{ ip: '10.244.0.9', port: 8080 }, { ip: '10.244.1.3', port: 8080 }] }),
    rule({ name: 'dev/db', namespace: 'dev', service: 'db', clusterIP: '10.96.0.40', port: 5432 }),
  ], { clusterCIDR: '10.244.0.0/16', staleChains: ['KUBE-SVC-OLDOLDOLDOLDOLD1', sepA] });
  assert.equal(out.text, `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-FIREWALL - [0:0]
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-SERVICES -m comment --comment "dev/db has no endpoints" -d 10.96.0.40/32 -p tcp -m tcp --dport 5432 -j REJECT --reject-with icmp-port-unreachable
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:${svc} - [0:0]
:${sepA} - [0:0]
:${sepB} - [0:0]
:KUBE-SVC-OLDOLDOLDOLDOLD1 - [0:0]
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j ${svc}
-A KUBE-NODEPORTS -m comment --comment "default/web" -p tcp -m tcp --dport 32600 -j KUBE-MARK-MASQ
-A KUBE-NODEPORTS -m comment --comment "default/web" -p tcp -m tcp --dport 32600 -j ${svc}
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A ${svc} -m comment --comment "default/web cluster IP" ! -s 10.244.0.0/16 -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ
-A ${svc} -m comment --comment "default/web -> 10.244.0.9:8080" -m statistic --mode random --probability 0.5000000000 -j ${sepA}
-A ${svc} -m comment --comment "default/web -> 10.244.1.3:8080" -j ${sepB}
-A ${sepA} -m comment --comment "default/web" -s 10.244.0.9/32 -j KUBE-MARK-MASQ
-A ${sepA} -m comment --comment "default/web" -p tcp -m tcp -j DNAT --to-destination 10.244.0.9:8080
-A ${sepB} -m comment --comment "default/web" -s 10.244.1.3/32 -j KUBE-MARK-MASQ
-A ${sepB} -m comment --comment "default/web" -p tcp -m tcp -j DNAT --to-destination 10.244.1.3:8080
-X KUBE-SVC-OLDOLDOLDOLDOLD1
COMMIT
`);
  assert.deepEqual(out.counts, { services: 2, endpoints: 2, rejects: 1 });
  assert.deepEqual(out.objectChains, [svc, sepA, sepB]);
});

test('probabilities give every one of n endpoints 1/n; ClientIP affinity checks recent first', () => {
  const eps = [1, 2, 3, 4].map((i) => ({ ip: `10.244.0.${i}`, port: 80 }));
  const out = renderRules([rule({ endpoints: eps, affinitySeconds: 600 })], { clusterCIDR: '10.244.0.0/16' });
  const probs = [...out.text.matchAll(/--probability (\S+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(probs, [0.25, 1 / 3, 0.5].map((p) => Number(p.toFixed(10))));
  let remaining = 1;
  const shares = probs.map((p) => { const s = remaining * p; remaining -= s; return s; });
  shares.push(remaining);
  for (const s of shares) assert.ok(Math.abs(s - 0.25) < 1e-9);
  const lines = out.text.split('\n').filter((l) => l.startsWith(`-A ${serviceChain('default/web', 'TCP')} `));
  assert.match(lines[1]!, /-m recent --name KUBE-SEP-\S+ --mask 255.255.255.255 --rsource --rcheck --seconds 600 --reap/);
  assert.match(out.text, /-m recent --name KUBE-SEP-\S+ --mask 255.255.255.255 --rsource --set -p tcp -m tcp -j DNAT/);
});

test('partial sync: only per-object chains whose rules changed are written; the top level always is', () => {
  const eps = (ips: string[]) => ips.map((ip) => ({ ip, port: 80 }));
  const first = renderRules([rule({ endpoints: eps(['10.244.0.1', '10.244.0.2']) }), rule({ name: 'default/api', service: 'api', clusterIP: '10.96.0.21', endpoints: eps(['10.244.0.3']) })], { clusterCIDR: '10.244.0.0/16' });
  assert.equal(first.written, 5);
  const second = renderRules([rule({ endpoints: eps(['10.244.0.1', '10.244.0.9']) }), rule({ name: 'default/api', service: 'api', clusterIP: '10.96.0.21', endpoints: eps(['10.244.0.3']) })],
    { clusterCIDR: '10.244.0.0/16', unchanged: first.chainRules, staleChains: first.objectChains });
  // web's service chain changed and one new endpoint chain appeared; the old endpoint chain is deleted
  assert.equal(second.written, 2);
  const stale = endpointChain('default/web', 'TCP', '10.244.0.2:80');
  assert.match(second.text, new RegExp(`^-X ${stale}$`, 'm'));
  assert.doesNotMatch(second.text, new RegExp(`^:${serviceChain('default/api', 'TCP')} `, 'm'));
  assert.match(second.text, /-d 10\.96\.0\.21\/32 .* -j KUBE-SVC-/, 'KUBE-SERVICES still jumps to the unchanged chain');
});

test('UDP services and a NodePort without endpoints are rejected on the node port too', () => {
  const out = renderRules([rule({ protocol: 'UDP', port: 53, nodePort: 30053 })], { clusterCIDR: '10.244.0.0/16' });
  assert.match(out.text, /-A KUBE-SERVICES .* -d 10\.96\.0\.20\/32 -p udp -m udp --dport 53 -j REJECT/);
  assert.match(out.text, /-A KUBE-EXTERNAL-SERVICES .* -m addrtype --dst-type LOCAL -p udp -m udp --dport 30053 -j REJECT/);
});
