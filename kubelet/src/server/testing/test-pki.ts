// Test support: a throwaway CA with a kubelet serving certificate (SANs 127.0.0.1, localhost)
// and client certificates, made with the openssl CLI (EC P-256: fast). The launcher's
// real PKI lives in cli/src/pki.ts; this only exists so tests of the kubelet server and the
// apiserver proxy can run TLS with client certificates. remove() deletes the directory.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCert { cert: Buffer; key: Buffer; certFile: string; keyFile: string; }
export interface TestPki {
  dir: string;
  ca: Buffer;
  caFile: string;
  /** serverAuth, SANs 127.0.0.1 and localhost */
  kubelet: TestCert;
  /** clientAuth, CN kube-apiserver-kubelet-client, O system:masters */
  apiserverClient: TestCert;
  /** a client certificate from a different CA */
  stranger: TestCert;
  /** signed by the CA, but a node's identity (CN system:node:other, O system:nodes) */
  nodeClient: TestCert;
  remove(): Promise<void>;
}

export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-test-pki-'));
  const ca = await selfSigned(dir, 'ca', 'k8ts-test-ca');
  const other = await selfSigned(dir, 'other-ca', 'someone-else');
  const kubelet = await issue(dir, 'kubelet', '/CN=kubelet', ca, ['extendedKeyUsage = serverAuth', 'subjectAltName = IP:127.0.0.1, DNS:localhost']);
  const apiserverClient = await issue(dir, 'apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', ca, ['extendedKeyUsage = clientAuth']);
  const stranger = await issue(dir, 'stranger', '/CN=stranger', other, ['extendedKeyUsage = clientAuth']);
  const nodeClient = await issue(dir, 'node-client', '/O=system:nodes/CN=system:node:other', ca, ['extendedKeyUsage = clientAuth']);
  return { dir, ca: ca.cert, caFile: ca.certFile, kubelet, apiserverClient, stranger, nodeClient, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function load(certFile: string, keyFile: string): Promise<TestCert> {
  return { cert: await readFile(certFile), key: await readFile(keyFile), certFile, keyFile };
}

async function selfSigned(dir: string, name: string, cn: string): Promise<TestCert> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  return load(certFile, keyFile);
}

async function issue(dir: string, name: string, subject: string, ca: TestCert, ext: string[]): Promise<TestCert> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment', ...ext, ''].join('\n'));
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', csr, '-subj', subject]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', extFile, '-out', certFile]);
  return load(certFile, keyFile);
}
