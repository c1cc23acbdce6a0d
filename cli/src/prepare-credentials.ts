// Credentials of a local cluster, made on first start and kept afterwards: the PKI, the static
// token file and one kubeconfig per identity (<state>/kubeconfig for admin).
//
// Contract: idempotent. Existing CA, certificates and tokens are kept (see pki.ts, tokens.ts);
// kubeconfigs are rewritten every time from the current CA, tokens and apiserver port.
import { mkdir, readFile } from 'node:fs/promises';
import type { ClusterConfig } from './cluster-config.js';
import { clusterIdentities } from './identities.js';
import { writeKubeconfig } from './kubeconfig-render.js';
import { DEFAULT_APISERVER_SANS, ensureKubeletClientCert, ensureKubeletServingCert, ensurePki, type EnsurePkiResult } from './pki.js';
import type { StateLayout } from './state-layout.js';
import { ensureTokenFile, tokenFor } from './tokens.js';

export interface PreparedCredentials {
  pki: EnsurePkiResult;
  /** Names of the kubelet certificates (apiserver client, per-node serving) issued this time. */
  issuedKubeletCerts: string[];
  addedTokens: string[];
  caPem: Buffer;
  adminToken: string;
}

export function apiserverUrl(config: ClusterConfig): string {
  return `https://127.0.0.1:${config.apiserverPort}`;
}

export async function prepareCredentials(layout: StateLayout, config: ClusterConfig): Promise<PreparedCredentials> {
  const pki = await ensurePki(layout.pkiDir, DEFAULT_APISERVER_SANS);
  // apiserver → kubelet (logs, exec): local kubelets serve on 127.0.0.1
  const issuedKubeletCerts: string[] = [];
  if ((await ensureKubeletClientCert(layout.pkiDir)).issued) issuedKubeletCerts.push('apiserver-kubelet-client');
  for (const node of config.nodeNames) {
    if ((await ensureKubeletServingCert(layout.pkiDir, node, ['127.0.0.1'])).issued) issuedKubeletCerts.push(`kubelet-${node}`);
  }
  const identities = clusterIdentities(config.nodeNames);
  const { entries, added } = await ensureTokenFile(layout.tokenFile, identities);
  const caPem = await readFile(layout.caCert);
  const server = apiserverUrl(config);
  await mkdir(layout.kubeconfigsDir, { recursive: true, mode: 0o700 });
  let adminToken = '';
  for (const id of identities) {
    const token = tokenFor(entries, id.user);
    if (!token) throw new Error(`no token for ${id.user} in ${layout.tokenFile}`);
    const file = id.id === 'admin' ? layout.adminKubeconfig : layout.componentKubeconfig(id.id);
    await writeKubeconfig(file, { server, caPem, user: id.user, token });
    if (id.id === 'admin') adminToken = token;
  }
  return { pki, issuedKubeletCerts, addedTokens: added, caPem, adminToken };
}
