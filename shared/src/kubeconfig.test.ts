import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError, connectionFromFlags, loadKubeconfig } from './kubeconfig.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('kubeconfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
    await mkdir(join(dir, 'pki'));
    await writeFile(join(dir, 'pki', 'ca.crt'), 'CA-FROM-FILE');
    await writeFile(join(dir, 'pki', 'admin.crt'), 'CERT-FROM-FILE');
    await writeFile(join(dir, 'pki', 'admin.key'), 'KEY-FROM-FILE');
    await writeFile(join(dir, 'token'), 'file-token\n');
    await writeFile(join(dir, 'config'), `
apiVersion: v1
kind: Config
current-context: admin
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: pki/ca.crt
- name: other
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${b64('CA-FROM-DATA')}
    insecure-skip-tls-verify: true
contexts:
- name: admin
  context: { cluster: local, user: admin, namespace: kube-system }
- name: ci
  context: { cluster: other, user: bot }
users:
- name: admin
  user:
    client-certificate: pki/admin.crt
    client-key: ${join(dir, 'pki', 'admin.key')}
- name: bot
  user:
    tokenFile: token
    client-certificate-data: ${b64('CERT-FROM-DATA')}
    client-key-data: ${b64('KEY-FROM-DATA')}
`);
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('resolves the current context with files relative to the kubeconfig', () => {
    const c = loadKubeconfig(join(dir, 'config'));
    assert.equal(c.server, 'https://127.0.0.1:6443');
    assert.equal(c.ca?.toString(), 'CA-FROM-FILE');
    assert.equal(c.cert?.toString(), 'CERT-FROM-FILE');
    assert.equal(c.key?.toString(), 'KEY-FROM-FILE', 'absolute paths are used as-is');
    assert.equal(c.namespace, 'kube-system');
    assert.equal(c.insecure, undefined);
    assert.equal(c.token, undefined);
  });

  it('decodes *-data fields, tokenFile and insecure-skip-tls-verify for another context', () => {
    const c = loadKubeconfig(join(dir, 'config'), { context: 'ci' });
    assert.equal(c.server, 'https://10.0.0.1:6443');
    assert.equal(c.ca?.toString(), 'CA-FROM-DATA');
    assert.equal(c.cert?.toString(), 'CERT-FROM-DATA');
    assert.equal(c.key?.toString(), 'KEY-FROM-DATA');
    assert.equal(c.token, 'file-token');
    assert.equal(c.insecure, true);
  });

  it('connectionFromFlags: flags alone, or overriding a kubeconfig', () => {
    assert.deepEqual(connectionFromFlags({ server: 'http://127.0.0.1:8080', token: 't' }), { server: 'http://127.0.0.1:8080', token: 't' });
    const c = connectionFromFlags({ kubeconfig: join(dir, 'config'), token: 'override', caFile: join(dir, 'token') });
    assert.equal(c.server, 'https://127.0.0.1:6443');
    assert.equal(c.token, 'override');
    assert.equal(c.ca?.toString(), 'file-token\n');
    assert.equal(c.cert?.toString(), 'CERT-FROM-FILE');
  });

  it('fails with a KubeconfigError naming the problem', () => {
    assert.throws(() => connectionFromFlags({}), KubeconfigError);
    assert.throws(() => loadKubeconfig(join(dir, 'missing')), /cannot read kubeconfig/);
    assert.throws(() => loadKubeconfig(join(dir, 'config'), { context: 'nope' }), /context "nope" not found/);
    assert.throws(() => connectionFromFlags({ server: 'ftp://x' }), /must be http or https/);
  });
});
