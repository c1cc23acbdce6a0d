// Where a component finds the API server and how it authenticates: a kubeconfig file
// (the subset of clientcmd that k8ts uses) or explicit flags.
//
// Contract:
// - ca / cert / key in a ClusterConnection are PEM *contents* (never paths); files named in a
//   kubeconfig are read eagerly, relative paths resolved against the kubeconfig's directory.
// - `*-data` fields (base64) win over their file counterparts, as in client-go.
// - Supported: current-context (or an explicit context), cluster server,
//   certificate-authority(-data), insecure-skip-tls-verify, tls-server-name; user token,
//   tokenFile, client-certificate(-data), client-key(-data); context namespace.
// - Not handled: exec / auth-provider plugins, basic auth, proxy-url, merging several
//   kubeconfig files ($KUBECONFIG lists) and reading environment variables.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ClusterConnection {
  /** Base URL, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  server: string;
  /** CA bundle (PEM) that signs the server certificate. */
  ca?: string | Buffer;
  /** Bearer token. */
  token?: string;
  /** Client certificate (PEM). */
  cert?: string | Buffer;
  /** Client key (PEM). */
  key?: string | Buffer;
  /** Skip server certificate verification. */
  insecure?: boolean;
  /** SNI / verification name when it differs from the URL's host. */
  tlsServerName?: string;
  /** The context's default namespace, if any. */
  namespace?: string;
}

export class KubeconfigError extends Error {
  readonly code = 'K8TS_ERR_KUBECONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

type Obj = Record<string, unknown>;

/** `clusters: [{name, cluster: {...}}]` style lookup. */
function findNamed(list: unknown, key: 'cluster' | 'user' | 'context', name: string): Obj | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e): e is Obj => !!e && typeof e === 'object' && (e as Obj).name === name);
  const body = entry?.[key];
  return body && typeof body === 'object' ? (body as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Parses kubeconfig text; `baseDir` resolves relative file references. */
export function parseKubeconfig(text: string, baseDir: string, opts: { context?: string } = {}): ClusterConnection {
  let doc: Obj;
  try {
    doc = (parseYaml(text) ?? {}) as Obj;
  } catch (e) {
    throw new KubeconfigError(`invalid kubeconfig YAML: ${(e as Error).message}`);
  }
  const contextName = opts.context ?? str(doc['current-context']);
  if (!contextName) throw new KubeconfigError('kubeconfig has no current-context');
  const context = findNamed(doc.contexts, 'context', contextName);
  if (!context) throw new KubeconfigError(`context "${contextName}" not found in kubeconfig`);
  const clusterName = str(context.cluster);
  const cluster = clusterName ? findNamed(doc.clusters, 'cluster', clusterName) : undefined;
  if (!cluster) throw new KubeconfigError(`cluster "${clusterName ?? ''}" of context "${contextName}" not found in kubeconfig`);
  const userName = str(context.user);
  const user = userName ? findNamed(doc.users, 'user', userName) ?? {} : {};

  const server = str(cluster.server);
  if (!server) throw new KubeconfigError(`cluster "${clusterName}" has no server`);
  validateServer(server);

  const readRel = (p: string): Buffer => {
    const full = isAbsolute(p) ? p : resolve(baseDir, p);
    try {
      return readFileSync(full);
    } catch (e) {
      throw new KubeconfigError(`cannot read ${full}: ${(e as Error).message}`);
    }
  };
  const dataOrFile = (data: unknown, file: unknown): Buffer | undefined => {
    const d = str(data);
    if (d) return Buffer.from(d, 'base64');
    const f = str(file);
    return f ? readRel(f) : undefined;
  };

  const conn: ClusterConnection = { server };
  const ca = dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) conn.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) conn.insecure = true;
  const sni = str(cluster['tls-server-name']);
  if (sni) conn.tlsServerName = sni;
  const cert = dataOrFile(user['client-certificate-data'], user['client-certificate']);
  if (cert) conn.cert = cert;
  const key = dataOrFile(user['client-key-data'], user['client-key']);
  if (key) conn.key = key;
  const token = str(user.token) ?? (str(user.tokenFile) ? readRel(str(user.tokenFile)!).toString('utf8').trim() : undefined);
  if (token) conn.token = token;
  const ns = str(context.namespace);
  if (ns) conn.namespace = ns;
  return conn;
}

/** Loads a kubeconfig file (synchronously: meant for process start-up). */
export function loadKubeconfig(path: string, opts: { context?: string } = {}): ClusterConnection {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(e as Error).message}`);
  }
  return parseKubeconfig(text, dirname(resolve(path)), opts);
}

export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  server?: string;
  token?: string;
  caFile?: string;
  insecure?: boolean;
}

/**
 * Builds a connection from component flags. With `kubeconfig`, the file is loaded and any
 * of `server`, `token`, `caFile`, `insecure` given as flags override it (like kubectl's
 * --server/--token/--certificate-authority). Without it, `server` is required.
 */
export function connectionFromFlags(flags: ConnectionFlags): ClusterConnection {
  let conn: ClusterConnection;
  if (flags.kubeconfig) {
    conn = loadKubeconfig(flags.kubeconfig, flags.context ? { context: flags.context } : {});
  } else if (flags.server) {
    conn = { server: flags.server };
  } else {
    throw new KubeconfigError('either --kubeconfig or --server is required');
  }
  if (flags.server) {
    validateServer(flags.server);
    conn.server = flags.server;
  }
  if (flags.token) conn.token = flags.token;
  if (flags.caFile) {
    try {
      conn.ca = readFileSync(flags.caFile);
    } catch (e) {
      throw new KubeconfigError(`cannot read CA file ${flags.caFile}: ${(e as Error).message}`);
    }
  }
  if (flags.insecure !== undefined) conn.insecure = flags.insecure;
  return conn;
}

function validateServer(server: string): void {
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    throw new KubeconfigError(`invalid server URL "${server}"`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new KubeconfigError(`server URL "${server}" must be http or https`);
}
