import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  ensureKubeletClientCert, ensureKubeletServingCert, ensurePki, kubeletClientPaths, kubeletServingPaths, pkiPaths,
} from './pki.js';

const run = promisify(execFile);

describe('kubelet certificates', () => {
  let dir: string;
  before(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'k8ts-pki-kubelet-')), 'pki');
    await ensurePki(dir);
  });
  after(async () => { await rm(join(dir, '..'), { recursive: true, force: true }); });

  it('refuses to issue without a CA', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'k8ts-pki-none-'));
    try {
      await assert.rejects(ensureKubeletClientCert(empty), /no cluster CA/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('issues the apiserver kubelet-client certificate once (clientAuth, CN and O as kubeadm)', async () => {
    assert.deepEqual(await ensureKubeletClientCert(dir), { issued: true, reason: 'missing or not matching its key' });
    const p = kubeletClientPaths(dir);
    const { stdout } = await run('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', pkiPaths(dir).caCert, p.cert]);
    assert.match(stdout, /OK/);
    const cert = new X509Certificate(await readFile(p.cert));
    assert.match(cert.subject, /CN=kube-apiserver-kubelet-client/);
    assert.match(cert.subject, /O=system:masters/);
    assert.equal((await stat(p.key)).mode & 0o777, 0o600);
    assert.deepEqual(await ensureKubeletClientCert(dir), { issued: false });
  });

  it('issues a kubelet serving certificate with the node IPs and name, and reissues for a new IP', async () => {
    assert.equal((await ensureKubeletServingCert(dir, 'node-1', ['127.0.0.1'])).issued, true);
    const p = kubeletServingPaths(dir, 'node-1');
    assert.match(p.cert, /kubelet-node-1\.crt$/);
    const { stdout } = await run('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', pkiPaths(dir).caCert, p.cert]);
    assert.match(stdout, /OK/);
    const cert = new X509Certificate(await readFile(p.cert));
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:node-1/);
    assert.match(cert.subject, /CN=system:node:node-1/);
    assert.deepEqual(await ensureKubeletServingCert(dir, 'node-1', ['127.0.0.1']), { issued: false });
    const again = await ensureKubeletServingCert(dir, 'node-1', ['127.0.0.1', '10.0.0.7']);
    assert.deepEqual(again, { issued: true, reason: 'missing SANs 10.0.0.7' });
    assert.throws(() => kubeletServingPaths(dir, '../evil'), /invalid node name/);
    await assert.rejects(ensureKubeletServingCert(dir, 'node-2', ['not-an-ip']), /not an IP/);
  });

  it('lets the apiserver client certificate through a kubelet-style TLS server', async () => {
    const ca = await readFile(pkiPaths(dir).caCert);
    const srv = kubeletServingPaths(dir, 'node-1');
    const cli = kubeletClientPaths(dir);
    const server = createServer({ cert: await readFile(srv.cert), key: await readFile(srv.key), ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.end((req.socket as TLSSocket).getPeerCertificate().subject.CN);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const [cert, key] = await Promise.all([readFile(cli.cert), readFile(cli.key)]);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca, cert, key, agent: false }, (res) => {
          let b = '';
          res.on('data', (d) => (b += d));
          res.on('end', () => resolve(b));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(body, 'kube-apiserver-kubelet-client');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

