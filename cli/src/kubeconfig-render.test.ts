import { strict as assert } from 'node:assert';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseKubeconfig } from '@k8ts/shared';
import { parse } from 'yaml';
import { renderKubeconfig, writeKubeconfig } from './kubeconfig-render.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('renderKubeconfig', () => {
  it('renders a clientcmd v1 Config with CA data, a token user and a current context', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: CA, user: 'admin', token: 'tok' });
    const doc = parse(text);
    assert.equal(doc.apiVersion, 'v1');
    assert.equal(doc.kind, 'Config');
    assert.equal(doc['current-context'], 'k8ts');
    assert.deepEqual(doc.clusters, [{ name: 'k8ts', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA).toString('base64') } }]);
    assert.deepEqual(doc.users, [{ name: 'admin', user: { token: 'tok' } }]);
    assert.deepEqual(doc.contexts, [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }]);
  });

  it('is accepted by the shared kubeconfig loader that components use', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:7443', caPem: CA, user: 'system:node:n1', token: 't', namespace: 'kube-system' });
    const conn = parseKubeconfig(text, '/nonexistent');
    assert.equal(conn.server, 'https://127.0.0.1:7443');
    assert.equal(conn.token, 't');
    assert.equal(conn.namespace, 'kube-system');
    assert.equal(Buffer.from(conn.ca!).toString('utf8'), CA);
  });

  it('writes the file with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-kc-'));
    try {
      const file = join(dir, 'kubeconfig');
      await writeKubeconfig(file, { server: 'https://127.0.0.1:6443', caPem: CA, user: 'admin', token: 'x' });
      assert.equal((await stat(file)).mode & 0o777, 0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
