// Leaf certificates of the Compose deployment, signed by the cluster CA (pki.ts), made with the
// openssl CLI: the apiserver's client certificate for kubelets (logs/exec/port-forward through
// --kubelet-client-certificate) and one kubelet serving certificate per node name.
//
// Contract (ensureLeafCert): keeps an existing pair that matches, is signed by the current CA,
// is valid for more than 30 days and names every wanted SAN; otherwise issues a new one (EC
// P-256 key, 0600; ~2 years). Files appear atomically. Not handled: node IP SANs (container IPs
// are assigned at start; the apiserver dials kubelets without verifying them, as upstream does
// without --kubelet-certificate-authority), revocation.
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl } from '../openssl.js';
import { certSans, leafExtConfig } from '../pki.js';

export interface LeafCertSpec {
  /** Output files: <dir>/<name>.crt and <dir>/<name>.key */
  dir: string;
  name: string;
  commonName: string;
  organization?: string;
  usage: 'serverAuth' | 'clientAuth';
  sans?: readonly string[];
  caCert: string;
  caKey: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

async function currentIsGood(spec: LeafCertSpec, crt: string, key: string): Promise<boolean> {
  try {
    const cert = new X509Certificate(await readFile(crt));
    const ca = new X509Certificate(await readFile(spec.caCert));
    if (!cert.checkPrivateKey(createPrivateKey(await readFile(key)))) return false;
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    const have = new Set(certSans(cert));
    return (spec.sans ?? []).every((s) => have.has(s));
  } catch {
    return false;
  }
}

/** Returns true when a new certificate was issued. */
export async function ensureLeafCert(spec: LeafCertSpec): Promise<boolean> {
  const crt = join(spec.dir, `${spec.name}.crt`);
  const key = join(spec.dir, `${spec.name}.key`);
  await mkdir(spec.dir, { recursive: true, mode: 0o700 });
  if (await currentIsGood(spec, crt, key)) return false;
  const work = await mkdtemp(join(spec.dir, '.tmp-'));
  try {
    const subj = `/CN=${spec.commonName}${spec.organization ? `/O=${spec.organization}` : ''}`;
    const ext = join(work, 'ext.cnf');
    await writeFile(ext, leafExtConfig(spec.usage, spec.sans));
    const k = join(work, 'leaf.key');
    const csr = join(work, 'leaf.csr');
    const c = join(work, 'leaf.crt');
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', k]);
    await chmod(k, 0o600);
    await openssl(['req', '-new', '-key', k, '-subj', subj, '-out', csr]);
    const serial = randomBytes(16);
    serial[0] = serial[0]! & 0x7f;
    await openssl(['x509', '-req', '-in', csr, '-CA', spec.caCert, '-CAkey', spec.caKey, '-set_serial', `0x${serial.toString('hex')}`,
      '-days', '825', '-sha256', '-extfile', ext, '-extensions', 'v3_leaf', '-out', c]);
    await rename(k, key);
    await rename(c, crt);
    return true;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
