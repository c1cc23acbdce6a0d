import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEFAULT_APISERVER_SANS, certSans, ensurePki, pkiPaths, sanConfigLines } from './pki.js';

const run = promisify(execFile);

describe('ensurePki', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('creates a CA and a serving cert that openssl verifies, with every SAN', async () => {
    const res = await ensurePki(join(dir, 'pki'));
    assert.deepEqual(res, { createdCa: true, issuedApiserverCert: true, reason: 'new CA' });
    const p = pkiPaths(join(dir, 'pki'));
    const { stdout } = await run('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', p.caCert, p.apiserverCert]);
    assert.match(stdout, /apiserver\.crt: OK/);
    const ext = (await run('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', p.apiserverCert])).stdout;
    for (const san of DEFAULT_APISERVER_SANS) assert.ok(ext.includes(san), `SAN ${san} in ${ext}`);
    assert.match(ext, /IP Address:127\.0\.0\.1/);
    assert.match(ext, /IP Address:10\.96\.0\.1/);
    assert.match(ext, /DNS:kubernetes\.default\.svc\.cluster\.local/);
    const ca = new X509Certificate(await readFile(p.caCert));
    assert.equal(ca.ca, true);
    assert.match(ca.subject, /CN=k8ts-ca/);
  });

  it('writes keys 0600 in a 0700 directory', async () => {
    const p = pkiPaths(join(dir, 'pki'));
    assert.equal((await stat(p.dir)).mode & 0o777, 0o700);
    assert.equal((await stat(p.caKey)).mode & 0o777, 0o600);
    assert.equal((await stat(p.apiserverKey)).mode & 0o777, 0o600);
  });

  it('keeps everything on a second run', async () => {
    const p = pkiPaths(join(dir, 'pki'));
    const before1 = await Promise.all([p.caCert, p.caKey, p.apiserverCert, p.apiserverKey].map((f) => readFile(f, 'utf8')));
    const res = await ensurePki(p.dir);
    assert.deepEqual(res, { createdCa: false, issuedApiserverCert: false });
    const after1 = await Promise.all([p.caCert, p.caKey, p.apiserverCert, p.apiserverKey].map((f) => readFile(f, 'utf8')));
    assert.deepEqual(after1, before1);
  });

  it('reissues a missing serving cert with the same CA, and one that lacks a wanted SAN', async () => {
    const p = pkiPaths(join(dir, 'pki'));
    const ca = await readFile(p.caCert, 'utf8');
    await unlink(p.apiserverCert);
    const res = await ensurePki(p.dir);
    assert.equal(res.createdCa, false);
    assert.equal(res.issuedApiserverCert, true);
    assert.equal(await readFile(p.caCert, 'utf8'), ca);
    const res2 = await ensurePki(p.dir, [...DEFAULT_APISERVER_SANS, 'k8ts.example', '192.168.7.7']);
    assert.equal(res2.reason, 'missing SANs k8ts.example, 192.168.7.7');
    const sans = certSans(new X509Certificate(await readFile(p.apiserverCert)));
    assert.ok(sans.includes('k8ts.example') && sans.includes('192.168.7.7'));
    await run('openssl', ['verify', '-CAfile', p.caCert, p.apiserverCert]);
  });

  it('regenerates the CA (and the serving cert) when the CA key does not match', async () => {
    const other = join(dir, 'other');
    await ensurePki(other);
    const p = pkiPaths(join(dir, 'pki'));
    await writeFile(p.caKey, await readFile(pkiPaths(other).caKey));
    const res = await ensurePki(p.dir);
    assert.equal(res.createdCa, true);
    assert.equal(res.issuedApiserverCert, true);
    await run('openssl', ['verify', '-CAfile', p.caCert, p.apiserverCert]);
  });

  it('serves TLS that a client trusting only the CA accepts by IP and by in-cluster name', async () => {
    const p = pkiPaths(join(dir, 'pki'));
    const [cert, key, ca] = await Promise.all([readFile(p.apiserverCert), readFile(p.apiserverKey), readFile(p.caCert)]);
    const server = createServer({ cert, key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      for (const servername of [undefined, 'kubernetes.default.svc', 'localhost']) {
        await new Promise<void>((resolve, reject) => {
          const s = connect({ host: '127.0.0.1', port, ca, ...(servername ? { servername } : {}) }, () => {
            assert.equal(s.authorized, true);
            s.end();
            resolve();
          });
          s.on('error', reject);
        });
      }
      await assert.rejects(new Promise<void>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, ca, servername: 'evil.example' }, () => { s.end(); resolve(); });
        s.on('error', reject);
      }), /altnames|Hostname/i);
    } finally {
      server.close();
    }
  });
});

describe('sanConfigLines', () => {
  it('numbers IP and DNS entries separately', () => {
    assert.deepEqual(sanConfigLines(['127.0.0.1', 'localhost', '10.96.0.1', 'kubernetes']), [
      'IP.1 = 127.0.0.1', 'DNS.1 = localhost', 'IP.2 = 10.96.0.1', 'DNS.2 = kubernetes',
    ]);
  });
});
