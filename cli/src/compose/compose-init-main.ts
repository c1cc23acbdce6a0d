// Entry point of the Compose `init` service: `node cli/dist/compose/compose-init-main.js`.
// Environment (all optional): K8TS_CREDENTIALS_DIR (/var/lib/k8ts), K8TS_MAX_NODES (16),
// K8TS_APISERVER_URL (https://apiserver:6443), K8TS_HOST_APISERVER_URL (https://127.0.0.1:6443).
// Exits 0 when the credentials are complete, 1 with a message otherwise.
import { ensureComposeCredentials } from './compose-credentials.js';

const env = process.env;
const maxNodes = Number(env.K8TS_MAX_NODES ?? 16);
if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > 250) {
  process.stderr.write(`init: K8TS_MAX_NODES must be an integer in 1..250, got ${JSON.stringify(env.K8TS_MAX_NODES)}\n`);
  process.exit(1);
}
try {
  const r = await ensureComposeCredentials({
    dir: env.K8TS_CREDENTIALS_DIR ?? '/var/lib/k8ts',
    maxNodes,
    inClusterServer: env.K8TS_APISERVER_URL ?? 'https://apiserver:6443',
    hostServer: env.K8TS_HOST_APISERVER_URL ?? 'https://127.0.0.1:6443',
  });
  process.stdout.write(`init: credentials ready (new CA: ${r.createdCa}; new tokens: ${r.addedTokens.length ? r.addedTokens.join(' ') : 'none'})\n`);
} catch (err) {
  process.stderr.write(`init: ${(err as Error).message}\n`);
  process.exit(1);
}
