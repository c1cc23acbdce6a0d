// The fastify app: one catch-all route that dispatches by path (health, version,
// discovery, OpenAPI, resources), raw-buffer body parsing for every media type (bodies are
// decoded by the handlers, so malformed input becomes a Status, never a parser stack trace),
// a 3 MiB body limit (413), authentication, and a single error path to metav1.Status.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Errors, isStatusError, makeStatus, type Logger, type Status } from '@k8ts/shared';
import type { ResourceDef, JSONSchema } from '../registry/types.js';
import type { GenericStore } from '../storage/store.js';
import { answerOpenApiV2, answerOpenApiV3, type BuiltOpenApi } from '../openapi/index.js';
import { buildDiscovery, SERVER_VERSION } from './discovery.js';
import { parseResourcePath } from './request-info.js';
import { handleResource, type ResourceHandlerDeps } from './resource-handler.js';
import { PUBLIC_PATHS, type Authenticator, type UserInfo } from './auth.js';
import { parseAccept } from './negotiate.js';
import { send } from './respond.js';

export const BODY_LIMIT = 3 * 1024 * 1024;

export interface AppOptions {
  defs: ResourceDef[];
  storeFor(def: ResourceDef): GenericStore;
  resolveRef(ref: string): JSONSchema | undefined;
  openapi: BuiltOpenApi;
  log: Logger;
  /** undefined = no authentication (unit tests only) */
  authenticator?: Authenticator;
  https?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** host:port clients should use, for /api's serverAddressByClientCIDRs */
  advertise: string;
  ready(): Promise<boolean> | boolean;
  podConnect?: ResourceHandlerDeps['podConnect'];
}

export function buildApp(o: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: o.log.child({ subsystem: 'http' }),
    disableRequestLogging: true,
    // req.log is the server's logger itself: a pino child per request (for a reqId nobody logs;
    // the one use, unhandled errors, logs method and URL) was ~2% of the server's CPU under load
    childLoggerFactory: (logger: unknown) => logger,
    bodyLimit: BODY_LIMIT,
    // kubectl sends e.g. /api/v1/namespaces/default/pods?timeout=32s; query strings can be long
    maxParamLength: 1000,
    https: o.https ? { key: o.https.key, cert: o.https.cert, ...(o.https.ca ? { ca: o.https.ca, requestCert: true, rejectUnauthorized: false } : {}) } : null,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { ignoreDuplicateSlashes: true },
  } as never) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  const byPath = new Map<string, ResourceDef>();
  for (const d of o.defs) byPath.set(`${d.group}/${d.version}/${d.plural}`, d);
  const discovery = buildDiscovery(o.defs);
  const lookup = (g: string, v: string, plural: string) => byPath.get(`${g}/${v}/${plural}`);
  const deps: ResourceHandlerDeps = { storeFor: o.storeFor, resolveRef: o.resolveRef, log: o.log, podConnect: o.podConnect };

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (!o.authenticator || isPublic(path)) return;
    const user = o.authenticator.authenticate(req.raw);
    if (!user) {
      sendStatus(reply, Errors.unauthorized().status);
      return reply;
    }
    (req as FastifyRequest & { user?: UserInfo }).user = user;
  });

  app.setErrorHandler((err, req, reply) => {
    const e = err as Error & { statusCode?: number; code?: string };
    if (isStatusError(e)) return sendStatus(reply, e.status);
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return sendStatus(reply, Errors.tooLarge().status);
    if (e.statusCode === 415) return sendStatus(reply, Errors.unsupportedMediaType(String(req.headers['content-type'])).status);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return sendStatus(reply, Errors.badRequest(e.message).status);
    req.log.error({ err: e, url: req.url, method: req.method }, 'unhandled error');
    return sendStatus(reply, Errors.internal(e.message).status);
  });
  app.setNotFoundHandler((_req, reply) => sendStatus(reply, Errors.resourceNotFound('the server could not find the requested resource').status));

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!.replace(/\/+$/, '') || '/';
    const q = (req.query ?? {}) as Record<string, string>;
    // health
    if (path === '/healthz' || path === '/livez' || path.startsWith('/healthz/') || path.startsWith('/livez/')) return text(reply, 200, 'ok');
    if (path === '/readyz' || path.startsWith('/readyz/')) {
      const ok = await Promise.resolve(o.ready()).catch(() => false);
      return text(reply, ok ? 200 : 500, ok ? 'ok' : '[-]etcd failed: reason withheld\nreadyz check failed');
    }
    const accept = parseAccept(req.headers.accept);
    if (path === '/version') return send(reply, 200, SERVER_VERSION, accept);
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') return openapiAnswer(reply, answerOpenApiV2(req.headers.accept, SERVER_VERSION.gitVersion));
    if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
      return openapiAnswer(reply, answerOpenApiV3(o.openapi, { subPath: path.slice('/openapi/v3'.length), hash: q.hash, ifNoneMatch: req.headers['if-none-match'] as string | undefined }));
    }
    // discovery
    const parts = path.split('/').filter(Boolean);
    if (path === '/api' || path === '/apis' || (parts[0] === 'apis' && parts.length <= 3) || (parts[0] === 'api' && parts.length === 2)) {
      if (req.method !== 'GET') throw Errors.methodNotAllowed();
      let doc: unknown;
      if (path === '/api') doc = discovery.api(o.advertise);
      else if (path === '/apis') doc = discovery.apis();
      else if (parts[0] === 'api') doc = discovery.groupVersion('', parts[1]!);
      else if (parts.length === 2) doc = discovery.group(parts[1]!);
      else doc = discovery.groupVersion(parts[1]!, parts[2]!);
      if (!doc) throw Errors.resourceNotFound('the server could not find the requested resource');
      return send(reply, 200, doc, accept);
    }
    if (path === '/') {
      return send(reply, 200, { paths: ['/api', '/api/v1', '/apis', ...new Set(o.defs.filter((d) => d.group).map((d) => `/apis/${d.group}/${d.version}`)), '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] }, accept);
    }
    const ri = parseResourcePath(path, lookup, discovery.known);
    if (!ri) throw Errors.resourceNotFound('the server could not find the requested resource');
    if (ri.namespace !== undefined) validatePathName(ri.namespace);
    if (ri.name !== undefined) validatePathName(ri.name);
    return handleResource(ri, req, reply, deps);
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/', handler });
  return app;
}

function isPublic(path: string): boolean {
  const p = path.replace(/\/+$/, '');
  return PUBLIC_PATHS.has(p) || p.startsWith('/healthz/') || p.startsWith('/readyz/') || p.startsWith('/livez/');
}

function validatePathName(n: string): void {
  if (n === '.' || n === '..' || n.includes('/') || n.includes('%')) throw Errors.badRequest(`invalid name in the request path: ${JSON.stringify(n)}`);
}

export function sendStatus(reply: FastifyReply, s: Status): void {
  if (reply.sent || reply.raw.headersSent) { reply.raw.end(); return; }
  const body = s.code ? s : makeStatus(500, 'InternalError', s.message ?? 'error');
  void reply.code(body.code).type('application/json').send(JSON.stringify(body));
}

function text(reply: FastifyReply, code: number, body: string): void {
  void reply.code(code).type('text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff').send(body);
}

function openapiAnswer(reply: FastifyReply, a: ReturnType<typeof answerOpenApiV3>): void {
  if (a.status === 404) throw Errors.resourceNotFound('the server could not find the requested resource');
  reply.code(a.status).headers(a.headers);
  if (a.status === 200) { if (!a.headers['Content-Type']) reply.type('application/json'); void reply.send(a.body); return; }
  void reply.send();
}
