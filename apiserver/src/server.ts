// The apiserver process: etcd connection, one store per resource, bootstrap objects, HTTPS.
// `start(options)` is what main.ts and tests call; it resolves once the server listens
// (bootstrap keeps retrying in the background while etcd is unreachable, and /readyz says
// so). `close()` ends watches, stops listening and releases etcd.
import { readFileSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import type { FastifyInstance } from 'fastify';
import { createLogger, type KubeObject, type Logger } from '@k8ts/shared';
import type { ResourceDef } from './registry/types.js';
import { allResources, schemaDefinitions, validateMetaFor } from './kinds/index.js';
import { connectEtcd, currentRevision } from './storage/etcd.js';
import { GenericStore, type StoreRegistry } from './storage/store.js';
import { buildApp } from './http/app.js';
import { createAuthenticator, type Authenticator, type UserInfo } from './http/auth.js';
import { closeAllWatches } from './http/watch-stream.js';
import { NamespaceIndex } from './storage/namespace-index.js';
import { buildOpenApi, createSchemaRegistry } from './openapi/index.js';
import { bootstrap } from './bootstrap.js';
import { createAdmissionChain, type AdmissionOptions } from './admission/index.js';
import { createPodConnect, type PodConnect } from './proxy/kubelet-proxy.js';
import { routeUpgrades } from './proxy/upgrade-routing.js';

export interface ApiServerOptions {
  etcdServers: string[];
  bindAddress?: string;
  /** 0 = any free port */
  securePort?: number;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  clientCAFile?: string;
  tokenAuthFile?: string;
  /** tests: tokens in memory instead of a file */
  tokens?: Map<string, UserInfo>;
  /** tests only: wait until bootstrap objects exist before resolving */
  waitForBootstrap?: boolean;
  /** tests only: serve plain HTTP without authentication */
  insecure?: boolean;
  serviceCIDR?: string;
  nodePortRange?: [number, number];
  advertiseAddress?: string;
  /** Client certificate for the kubelets' HTTPS servers (pods/log, pods/exec); without it those answer 503. */
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  /** CA that signed the kubelets' serving certificates; absent = not verified (as upstream). */
  kubeletCertificateAuthority?: string;
  logger?: Logger;
  /** admission plugin settings (--default-*-toleration-seconds, --disable-admission-plugins) */
  admission?: AdmissionOptions;
}

export interface ApiServer {
  url: string;
  /** the fastify instance (tests use app.inject()) */
  app: FastifyInstance;
  port: number;
  etcd: Etcd3;
  storeFor(def: ResourceDef): GenericStore;
  close(): Promise<void>;
}

export async function start(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.logger ?? createLogger('apiserver');
  const etcd = connectEtcd({ endpoints: opts.etcdServers });
  const options = { serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/16', nodePortRange: opts.nodePortRange ?? [30000, 32767] as [number, number] };
  const stores = new Map<ResourceDef, GenericStore>();
  const registry: StoreRegistry = {
    storeFor: (def) => stores.get(def)!,
    get namespaces() { return stores.get(allResources.find((d) => d.kind === 'Namespace')!)!; },
  };
  const quotaDef = allResources.find((d) => d.kind === 'ResourceQuota')!;
  const admission = createAdmissionChain(opts.admission ?? {}, {
    quotaDef, log,
    listQuotas: (ns) => registry.storeFor(quotaDef).listAll(ns),
    watchQuotas: (sink) => registry.storeFor(quotaDef).watch(undefined, {}, sink),
  });
  for (const def of allResources) stores.set(def, new GenericStore(def, { etcd, log, options, registry, validateMeta: validateMetaFor, admission }));
  const namespaceIndex = new NamespaceIndex(registry.namespaces, log);

  const schemas = createSchemaRegistry(schemaDefinitions);
  const openapi = buildOpenApi(allResources, { definitions: schemaDefinitions, serverVersion: 'v1.31.9' });
  if (openapi.problems.length) log.warn({ problems: openapi.problems.slice(0, 20) }, 'OpenAPI generation problems');

  let authenticator: Authenticator | undefined;
  let https: { key: Buffer; cert: Buffer; ca?: Buffer } | undefined;
  if (!opts.insecure) {
    if (!opts.tlsCertFile || !opts.tlsKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file are required');
    https = { cert: readFileSync(opts.tlsCertFile), key: readFileSync(opts.tlsKeyFile) };
    if (opts.clientCAFile) https.ca = readFileSync(opts.clientCAFile);
    authenticator = createAuthenticator({ tokenFile: opts.tokenAuthFile, tokens: opts.tokens, clientCA: !!opts.clientCAFile });
  }

  let bootstrapped = false;
  let etcdOk = false;
  let lastCheck = 0;
  const ready = async (): Promise<boolean> => {
    if (Date.now() - lastCheck > 1000) {
      lastCheck = Date.now();
      etcdOk = await currentRevision(etcd).then(() => true, () => false);
    }
    return etcdOk && bootstrapped;
  };

  const host = opts.bindAddress ?? '127.0.0.1';
  const advertiseHost = opts.advertiseAddress ?? host;
  let podConnect: PodConnect | undefined;
  if (opts.kubeletClientCertificate || opts.kubeletClientKey) {
    if (!opts.kubeletClientCertificate || !opts.kubeletClientKey) throw new Error('--kubelet-client-certificate and --kubelet-client-key go together');
    const nodes = allResources.find((d) => d.kind === 'Node')!;
    podConnect = createPodConnect({
      getNode: (name) => registry.storeFor(nodes).get(undefined, name),
      tls: {
        cert: readFileSync(opts.kubeletClientCertificate), key: readFileSync(opts.kubeletClientKey),
        ...(opts.kubeletCertificateAuthority ? { ca: readFileSync(opts.kubeletCertificateAuthority) } : {}),
      },
      log,
    });
  }
  const app = buildApp({
    defs: allResources, storeFor: registry.storeFor, resolveRef: schemas.resolve, openapi, log, authenticator, https,
    advertise: `${advertiseHost}:${opts.securePort ?? 6443}`, ready, podConnect,
  });
  routeUpgrades(app, log);
  await app.listen({ host, port: opts.securePort ?? 6443 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url }, 'apiserver listening');

  let closing = false;
  const storeOf = (kind: string) => registry.storeFor(allResources.find((d) => d.kind === kind)!);
  void (async () => {
    for (let attempt = 0; !closing; attempt++) {
      try {
        await bootstrap({
          namespaces: storeOf('Namespace'), services: storeOf('Service'), endpoints: storeOf('Endpoints'),
          serviceCIDR: options.serviceCIDR, advertiseAddress: advertiseHost, port,
        });
        for (const st of stores.values()) await st.startWatchCache();
        await namespaceIndex.start();
        registry.namespaceIndex = namespaceIndex;
        bootstrapped = true;
        log.info('bootstrap objects ensured');
        return;
      } catch (err) {
        if (attempt % 10 === 0) log.warn({ err: (err as Error).message }, 'bootstrap failed (is etcd up?); retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();

  if (opts.waitForBootstrap) {
    const deadline = Date.now() + 20_000;
    while (!bootstrapped && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, etcd, app,
    storeFor: registry.storeFor,
    async close() {
      closing = true;
      namespaceIndex.stop();
      admission.close();
      closeAllWatches();
      await app.close();
      for (const s of stores.values()) await s.stop();
      etcd.close();
    },
  };
}

export type { KubeObject };
