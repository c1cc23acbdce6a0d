// The cluster's PKI, made with the openssl CLI: a self-signed CA and an apiserver serving
// certificate signed by it.
//
// Contract (ensurePki):
// - First run: creates the directory (0700), ca.key/ca.crt (CA:TRUE, 10 years) and
//   apiserver.key/apiserver.crt (serverAuth, SANs below, ~2 years). Keys are RSA 2048, mode 0600.
// - Later runs keep everything that is still good. The CA is regenerated only when its cert or
//   key is missing or they do not match (then the serving cert is reissued too). The serving
//   cert is reissued when missing, not signed by the current CA, not matching its key,
//   expiring within 30 days, or missing a wanted SAN. A kept CA keeps existing kubeconfigs valid.
// - Files appear atomically (written under a temporary name, then renamed).
// - Not handled: CA rotation with overlap, revocation.
//
// Contract (ensureKubeletClientCert, ensureKubeletServingCert — the kubelet streaming link):
// - The CA must exist (call ensurePki first). Each issues its pair when missing, not signed by
//   the current CA, not matching its key, expiring within 30 days, or (serving certs) missing a
//   wanted SAN; otherwise keeps it. Same key/file rules as above.
// - apiserver-kubelet-client.{crt,key}: clientAuth, CN kube-apiserver-kubelet-client,
//   O system:masters (upstream kubeadm's identity for apiserver → kubelet calls).
// - kubelet-<node>.{crt,key}: serverAuth, CN system:node:<node>, O system:nodes, SANs = the
//   node's IPs + its name.
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { openssl } from './openssl.js';

/** Names the apiserver answers to: loopback, the first service IP, the in-cluster DNS names. */
export const DEFAULT_APISERVER_SANS: readonly string[] = Object.freeze([
  '127.0.0.1',
  'localhost',
  '10.96.0.1',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
]);

export interface PkiPaths {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
}

export interface EnsurePkiResult {
  createdCa: boolean;
  issuedApiserverCert: boolean;
  /** Why the serving cert was (re)issued, when it was. */
  reason?: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export const KUBELET_CLIENT_CN = 'kube-apiserver-kubelet-client';
export const KUBELET_CLIENT_ORG = 'system:masters';

export interface CertPair { cert: string; key: string; }

/** The apiserver's client certificate for kubelets (--kubelet-client-certificate/-key). */
export function kubeletClientPaths(dir: string): CertPair {
  return { cert: join(dir, 'apiserver-kubelet-client.crt'), key: join(dir, 'apiserver-kubelet-client.key') };
}

/** A kubelet's HTTPS serving certificate (its --tls-cert-file/--tls-private-key-file). */
export function kubeletServingPaths(dir: string, node: string): CertPair {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(node)) throw new Error(`invalid node name ${JSON.stringify(node)}`);
  return { cert: join(dir, `kubelet-${node}.crt`), key: join(dir, `kubelet-${node}.key`) };
}

export interface EnsureCertResult { issued: boolean; reason?: string; }

export async function ensureKubeletClientCert(dir: string): Promise<EnsureCertResult> {
  return ensureLeaf(dir, kubeletClientPaths(dir), { cn: KUBELET_CLIENT_CN, org: KUBELET_CLIENT_ORG, usage: 'clientAuth', sans: [] });
}

export async function ensureKubeletServingCert(dir: string, node: string, ips: readonly string[]): Promise<EnsureCertResult> {
  for (const ip of ips) if (!isIP(ip)) throw new Error(`not an IP address: ${JSON.stringify(ip)}`);
  return ensureLeaf(dir, kubeletServingPaths(dir, node), { cn: `system:node:${node}`, org: 'system:nodes', usage: 'serverAuth', sans: [...ips, node] });
}

interface LeafSpec { cn: string; org?: string; usage: 'serverAuth' | 'clientAuth'; sans: readonly string[]; }

async function ensureLeaf(dir: string, out: CertPair, spec: LeafSpec): Promise<EnsureCertResult> {
  const p = pkiPaths(dir);
  const ca = await loadPair(p.caCert, p.caKey);
  if (!ca) throw new Error(`no cluster CA in ${dir}: run ensurePki first`);
  const reason = await leafCertProblem(out.cert, out.key, ca.cert, spec.sans);
  if (!reason) return { issued: false };
  const work = await mkdtemp(join(dir, '.tmp-'));
  try {
    await issueLeaf(work, p, out, spec);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { issued: true, reason };
}

async function issueLeaf(work: string, p: PkiPaths, out: CertPair, spec: LeafSpec): Promise<void> {
  const reqCnf = join(work, 'req.cnf');
  await writeFile(reqCnf, ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', ...(spec.org ? [`O = ${spec.org}`] : []), `CN = ${spec.cn}`, ''].join('\n'));
  const extCnf = join(work, 'ext.cnf');
  await writeFile(extCnf, leafExtConfig(spec.usage, spec.sans));
  const key = join(work, 'leaf.key');
  const csr = join(work, 'leaf.csr');
  const crt = join(work, 'leaf.crt');
  await genKey(key);
  await openssl(['req', '-new', '-config', reqCnf, '-key', key, '-out', csr]);
  await openssl(['x509', '-req', '-in', csr, '-CA', p.caCert, '-CAkey', p.caKey, '-set_serial', serialHex(),
    '-days', '825', '-sha256', '-extfile', extCnf, '-extensions', 'v3_leaf', '-out', crt]);
  await rename(key, out.key);
  await rename(crt, out.cert);
}

export function pkiPaths(dir: string): PkiPaths {
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
  };
}

export async function ensurePki(dir: string, sans: readonly string[] = DEFAULT_APISERVER_SANS): Promise<EnsurePkiResult> {
  const p = pkiPaths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const work = await mkdtemp(join(dir, '.tmp-'));
  try {
    let createdCa = false;
    let ca = await loadPair(p.caCert, p.caKey);
    if (!ca) {
      await createCa(work, p);
      ca = await loadPair(p.caCert, p.caKey);
      if (!ca) throw new Error('generated CA does not load');
      createdCa = true;
    }
    const reason = createdCa ? 'new CA' : await servingCertProblem(p, ca.cert, sans);
    if (reason) await issueServingCert(work, p, sans);
    return { createdCa, issuedApiserverCert: reason !== undefined, ...(reason ? { reason } : {}) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Splits SANs into the subjectAltName config lines openssl expects. */
/** The openssl `-extfile` text of a leaf certificate (section `v3_leaf`): not a CA, signing and
 *  key encipherment, `usage` (serverAuth / clientAuth / both), and the SANs when there are any. */
export function leafExtConfig(usage: string, sans: readonly string[] = []): string {
  return [
    '[v3_leaf]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    `extendedKeyUsage = ${usage}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    ...(sans.length ? ['subjectAltName = @alt', '[alt]', ...sanConfigLines(sans)] : []),
    '',
  ].join('\n');
}

export function sanConfigLines(sans: readonly string[]): string[] {
  let dns = 0;
  let ip = 0;
  return sans.map((s) => (isIP(s) ? `IP.${++ip} = ${s}` : `DNS.${++dns} = ${s}`));
}

/** The SANs of a certificate as plain names/addresses (Node's "DNS:x, IP Address:y" parsed). */
export function certSans(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .filter(Boolean)
    .map((e) => e.replace(/^(DNS|IP Address):/, ''));
}

async function loadPair(certFile: string, keyFile: string): Promise<{ cert: X509Certificate } | undefined> {
  try {
    const cert = new X509Certificate(await readFile(certFile));
    const key = createPrivateKey(await readFile(keyFile));
    return cert.checkPrivateKey(key) ? { cert } : undefined;
  } catch {
    return undefined;
  }
}

async function servingCertProblem(p: PkiPaths, ca: X509Certificate, sans: readonly string[]): Promise<string | undefined> {
  return leafCertProblem(p.apiserverCert, p.apiserverKey, ca, sans);
}

async function leafCertProblem(certFile: string, keyFile: string, ca: X509Certificate, sans: readonly string[]): Promise<string | undefined> {
  const pair = await loadPair(certFile, keyFile);
  if (!pair) return 'missing or not matching its key';
  const { cert } = pair;
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'not signed by the cluster CA';
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return 'expires within 30 days';
  const have = new Set(certSans(cert));
  const missing = sans.filter((s) => !have.has(s));
  if (missing.length) return `missing SANs ${missing.join(', ')}`;
  return undefined;
}

async function genKey(out: string): Promise<void> {
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', out]);
  await chmod(out, 0o600);
}

function serialHex(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return '0x' + b.toString('hex');
}

async function createCa(work: string, p: PkiPaths): Promise<void> {
  const cnf = join(work, 'ca.cnf');
  await writeFile(cnf, [
    '[req]', 'distinguished_name = dn', 'prompt = no', 'x509_extensions = v3_ca',
    '[dn]', 'CN = k8ts-ca',
    '[v3_ca]',
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, digitalSignature, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    '',
  ].join('\n'));
  const key = join(work, 'ca.key');
  const crt = join(work, 'ca.crt');
  await genKey(key);
  await openssl(['req', '-x509', '-new', '-config', cnf, '-key', key, '-sha256', '-days', '3650',
    '-set_serial', serialHex(), '-out', crt]);
  await rename(key, p.caKey);
  await rename(crt, p.caCert);
}

async function issueServingCert(work: string, p: PkiPaths, sans: readonly string[]): Promise<void> {
  const reqCnf = join(work, 'apiserver-req.cnf');
  await writeFile(reqCnf, ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = kube-apiserver', ''].join('\n'));
  const extCnf = join(work, 'apiserver-ext.cnf');
  await writeFile(extCnf, [
    '[v3_server]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    'subjectAltName = @alt',
    '[alt]',
    ...sanConfigLines(sans),
    '',
  ].join('\n'));
  const key = join(work, 'apiserver.key');
  const csr = join(work, 'apiserver.csr');
  const crt = join(work, 'apiserver.crt');
  await genKey(key);
  await openssl(['req', '-new', '-config', reqCnf, '-key', key, '-out', csr]);
  await openssl(['x509', '-req', '-in', csr, '-CA', p.caCert, '-CAkey', p.caKey, '-set_serial', serialHex(),
    '-days', '825', '-sha256', '-extfile', extCnf, '-extensions', 'v3_server', '-out', crt]);
  await rename(key, p.apiserverKey);
  await rename(crt, p.apiserverCert);
}
