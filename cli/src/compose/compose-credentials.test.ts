import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseTokenFile } from '../tokens.js';
import { composeIdentities, ensureComposeCredentials } from './compose-credentials.js';

test('compose credentials: CA, certs, tokens and kubeconfigs for every identity; a second run keeps them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-compose-cred-'));
  try {
    const opts = { dir, maxNodes: 2, inClusterServer: 'https://apiserver:6443', hostServer: 'https://127.0.0.1:16443' };
    const first = await ensureComposeCredentials(opts);
    assert.equal(first.createdCa, true);
    const ids = composeIdentities(2).map((i) => i.id);
    assert.deepEqual(ids, ['admin', 'scheduler', 'controller-manager', 'node-node-1', 'node-node-2', 'kube-proxy', 'dns']);
    const ca = new X509Certificate(await readFile(join(dir, 'pki/ca.crt')));
    const serving = new X509Certificate(await readFile(join(dir, 'pki/apiserver.crt')));
    assert.ok(serving.subjectAltName?.includes('DNS:apiserver'), 'serving cert names the compose service');
    const kubelet = new X509Certificate(await readFile(join(dir, 'pki/kubelets/node-2.crt')));
    assert.ok(kubelet.checkIssued(ca) && kubelet.subjectAltName?.includes('DNS:node-2'));
    const client = new X509Certificate(await readFile(join(dir, 'pki/apiserver-kubelet-client.crt')));
    assert.ok(client.checkIssued(ca) && /O=system:masters/.test(client.subject));
    assert.equal((await stat(join(dir, 'pki/kubelets/node-1.key'))).mode & 0o777, 0o600);
    const tokens = parseTokenFile(await readFile(join(dir, 'tokens.csv'), 'utf8'));
    assert.ok(tokens.some((t) => t.user === 'system:node:node-2'));
    const inCluster = parse(await readFile(join(dir, 'kubeconfigs/node-node-1.kubeconfig'), 'utf8'));
    assert.equal(inCluster.clusters[0].cluster.server, 'https://apiserver:6443');
    const host = parse(await readFile(join(dir, 'kubeconfigs/admin-host.kubeconfig'), 'utf8'));
    assert.equal(host.clusters[0].cluster.server, 'https://127.0.0.1:16443');
    assert.equal(host.users[0].user.token, tokens.find((t) => t.user === 'admin')!.token);

    const caBefore = await readFile(join(dir, 'pki/ca.crt'), 'utf8');
    const kubeletBefore = await readFile(join(dir, 'pki/kubelets/node-1.crt'), 'utf8');
    const second = await ensureComposeCredentials(opts);
    assert.equal(second.createdCa, false);
    assert.deepEqual(second.addedTokens, []);
    assert.equal(await readFile(join(dir, 'pki/ca.crt'), 'utf8'), caBefore);
    assert.equal(await readFile(join(dir, 'pki/kubelets/node-1.crt'), 'utf8'), kubeletBefore);
    // More nodes later: only the new identities are added.
    const third = await ensureComposeCredentials({ ...opts, maxNodes: 3 });
    assert.deepEqual(third.addedTokens, ['system:node:node-3']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
