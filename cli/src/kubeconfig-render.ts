// Renders a kubeconfig (clientcmd v1 Config) for one user with a bearer token, embedding the
// cluster CA as certificate-authority-data, as the real kubectl and client libraries expect.
//
// Contract: pure; the output is YAML with exactly one cluster, user and context, and
// current-context set to that context. writeKubeconfig writes it with mode 0600 atomically.
import { chmod, rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** CA bundle, PEM. */
  caPem: string | Buffer;
  user: string;
  token: string;
  /** Cluster and context name; default "k8ts". */
  clusterName?: string;
  contextName?: string;
  namespace?: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const cluster = input.clusterName ?? 'k8ts';
  const context = input.contextName ?? cluster;
  const ca = Buffer.isBuffer(input.caPem) ? input.caPem : Buffer.from(input.caPem, 'utf8');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: cluster, cluster: { server: input.server, 'certificate-authority-data': ca.toString('base64') } }],
    users: [{ name: input.user, user: { token: input.token } }],
    contexts: [{
      name: context,
      context: { cluster, user: input.user, ...(input.namespace ? { namespace: input.namespace } : {}) },
    }],
    'current-context': context,
  };
  return stringify(doc, { lineWidth: 0 });
}

export async function writeKubeconfig(file: string, input: KubeconfigInput): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, renderKubeconfig(input), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
