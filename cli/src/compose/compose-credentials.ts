// Credentials of the Compose deployment (docker-compose.yml), made by the one-shot `init`
// service into the `credentials` named volume on first start and kept afterwards:
//
//   <dir>/pki/{ca,apiserver}.{crt,key}         cluster CA + apiserver serving cert (pki.ts)
//   <dir>/pki/apiserver-kubelet-client.{crt,key} the apiserver's client cert towards kubelets
//   <dir>/pki/kubelets/node-<n>.{crt,key}       kubelet serving cert of node-<n> (SAN node-<n>)
//   <dir>/tokens.csv                            static bearer tokens (--token-auth-file)
//   <dir>/kubeconfigs/<id>.kubeconfig           one per identity, server https://apiserver:6443
//   <dir>/kubeconfigs/admin-host.kubeconfig     admin, server https://127.0.0.1:<published port>
//
// Identities: those of the local launcher (identities.ts) for nodes node-1 … node-<maxNodes>
// (a node container takes the name node-<its compose replica number>), plus the cluster DNS.
// Contract: idempotent (ensurePki / ensureTokenFile keep what exists; kubeconfigs are rewritten);
// the serving certificate also names the compose service (`apiserver`), so in-network clients
// verify it. Not handled: more nodes than maxNodes (init must run again with a larger number,
// then the apiserver must restart to re-read the token file).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterIdentities, type Identity } from '../identities.js';
import { writeKubeconfig } from '../kubeconfig-render.js';
import { DEFAULT_APISERVER_SANS, ensurePki, pkiPaths } from '../pki.js';
import { ensureTokenFile, tokenFor } from '../tokens.js';
import { ensureLeafCert } from './compose-leaf-certs.js';

export const COMPOSE_APISERVER_SANS: readonly string[] = Object.freeze([...DEFAULT_APISERVER_SANS, 'apiserver']);

export interface ComposeCredentialsOptions {
  dir: string;
  maxNodes: number;
  /** Server URL inside the compose network. */
  inClusterServer: string;
  /** Server URL the host uses (published port on loopback). */
  hostServer: string;
}

export function composeNodeNames(maxNodes: number): string[] {
  return Array.from({ length: maxNodes }, (_, i) => `node-${i + 1}`);
}

export function composeIdentities(maxNodes: number): Identity[] {
  // the same identities as the local cluster (the cluster DNS among them)
  return clusterIdentities(composeNodeNames(maxNodes));
}

export async function ensureComposeCredentials(opts: ComposeCredentialsOptions): Promise<{ createdCa: boolean; addedTokens: string[] }> {
  const pkiDir = join(opts.dir, 'pki');
  const pki = await ensurePki(pkiDir, COMPOSE_APISERVER_SANS);
  const identities = composeIdentities(opts.maxNodes);
  const tokenFile = join(opts.dir, 'tokens.csv');
  const { entries, added } = await ensureTokenFile(tokenFile, identities);
  const paths = pkiPaths(pkiDir);
  const ca = { caCert: paths.caCert, caKey: paths.caKey };
  // Upstream's names: CN kube-apiserver-kubelet-client in system:masters.
  await ensureLeafCert({ dir: pkiDir, name: 'apiserver-kubelet-client', commonName: 'kube-apiserver-kubelet-client', organization: 'system:masters', usage: 'clientAuth', ...ca });
  for (const node of composeNodeNames(opts.maxNodes)) {
    await ensureLeafCert({ dir: join(pkiDir, 'kubelets'), name: node, commonName: `system:node:${node}`, organization: 'system:nodes', usage: 'serverAuth', sans: [node], ...ca });
  }
  const caPem = await readFile(paths.caCert);
  const kubeconfigs = join(opts.dir, 'kubeconfigs');
  await mkdir(kubeconfigs, { recursive: true, mode: 0o700 });
  for (const id of identities) {
    const token = tokenFor(entries, id.user);
    if (!token) throw new Error(`no token for ${id.user} in ${tokenFile}`);
    await writeKubeconfig(join(kubeconfigs, `${id.id}.kubeconfig`), { server: opts.inClusterServer, caPem, user: id.user, token });
    if (id.id === 'admin') {
      await writeKubeconfig(join(kubeconfigs, 'admin-host.kubeconfig'), { server: opts.hostServer, caPem, user: id.user, token });
    }
  }
  return { createdCa: pki.createdCa, addedTokens: added };
}
