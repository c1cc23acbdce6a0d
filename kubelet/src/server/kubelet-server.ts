// The kubelet's authenticated HTTPS server (upstream port 10250): container logs, exec and
// port-forward for the apiserver, which proxies `kubectl logs/exec/port-forward` here.
//
//   GET /healthz                                   "ok" (no client certificate needed)
//   GET /containerLogs/{ns}/{pod}/{container}      text/plain, streamed (follow keeps it open)
//   GET|POST /exec/{ns}/{pod}[/{uid}]/{container}  WebSocket upgrade (v5/v4.channel.k8s.io) or
//                                                  SPDY/3.1 upgrade (v4.channel.k8s.io)
//   GET|POST /portForward/{ns}/{pod}               SPDY/3.1 upgrade, portforward.k8s.io (when
//                                                  a portForward dialer is given)
//   /attach/...                                    400 Status: not supported by k8ts
//
// Contract:
// - TLS with client certificates: every path but /healthz needs a certificate signed by
//   `tls.clientCa`, else 401; and its subject must be the apiserver's kubelet client
//   (CN kube-apiserver-kubelet-client) or in group system:masters, else 403 (a fixed stand-in
//   for upstream's SubjectAccessReview authorization, which is not implemented).
// - `locate` (from the kubelet core) resolves pod + container to a runtime container id or a
//   StatusError (unknown pod, "a container name must be specified ...", "is waiting to start").
// - Every failure is a metav1.Status JSON with its HTTP code, before any log byte is sent or
//   instead of the 101 of an upgrade. A failure while logs stream ends the response. With
//   follow=true the 200 goes out as soon as the container is found.
// - Exec speaks WebSocket (kubectl 1.30+) and SPDY/3.1 (kubectl <= 1.29, and 1.30+'s fallback);
//   port-forward speaks SPDY/3.1 (every kubectl falls back to it).
// - close() stops listening and ends every open stream and upgraded socket.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { Errors, StatusError, type Logger } from '@k8ts/shared';
import type { ContainerRuntime } from '../runtime/types.js';
import { parseProtocolHeader, selectProtocol, SUPPORTED_PROTOCOLS, V4 } from './channel-protocol.js';
import { batchingWriter } from './batching-writer.js';
import { runExecSession } from './exec-session.js';
import { runSpdyExecSession } from './exec-spdy-session.js';
import { runPortForwardSession } from './port-forward-session.js';

const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
import { statusOf, writeSocketStatus, writeStatus } from './http-status.js';
import { parseExecParams, parseLogParams } from './request-params.js';

/** The identity upstream's apiserver uses towards kubelets (kubeadm's apiserver-kubelet-client). */
export const KUBELET_CLIENT_CN = 'kube-apiserver-kubelet-client';

export type LocateContainer = (namespace: string, pod: string, container: string | undefined, opts: { previous: boolean }) =>
  Promise<{ containerId: string } | { error: StatusError }>;

export interface KubeletServerOptions {
  host: string;
  /** 0 = any free port */
  port: number;
  tls: { cert: string | Buffer; key: string | Buffer; clientCa: string | Buffer };
  runtime: ContainerRuntime;
  locate: LocateContainer;
  /** Opens a TCP connection to a pod's port (kubectl port-forward); absent = port-forward unsupported. */
  portForward?: (namespace: string, pod: string, port: number) => Promise<Duplex>;
  logger: Logger;
}

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

interface Route { kind: 'healthz' | 'logs' | 'exec' | 'attach' | 'portforward'; ns?: string; pod?: string; container?: string; }

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const log = opts.logger;
  const upgraded = new Set<Duplex>();
  const wss = new WebSocketServer({
    noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024,
    handleProtocols: (offered) => selectProtocol(offered) ?? false,
  });
  const server: Server = createServer({
    cert: opts.tls.cert, key: opts.tls.key, ca: opts.tls.clientCa, requestCert: true, rejectUnauthorized: false,
  });

  const failed = (what: string, req: IncomingMessage, err: unknown) => {
    const s = statusOf(err);
    log[s.code >= 500 ? 'warn' : 'debug']({ code: s.code, err: s.message, url: req.url }, what);
    return s;
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((err) => writeStatus(res, failed('kubelet request failed', req, err)));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    handleUpgrade(req, socket, head).catch((err) => writeSocketStatus(socket, failed('kubelet upgrade refused', req, err)));
  });
  server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'kubelet TLS handshake failed'));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const route = routeOf(url.pathname);
    if (route.kind === 'healthz') { res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }); res.end('ok'); return; }
    authenticate(req);
    if (route.kind === 'exec' || route.kind === 'attach') throw Errors.badRequest('Upgrade request required');
    if (route.kind === 'portforward') throw opts.portForward ? Errors.badRequest('Upgrade request required') : unsupported('port-forward');
    if (req.method !== 'GET') throw Errors.methodNotAllowed();
    const p = parseLogParams(url.searchParams);
    const containerId = await locate(route, p.previous);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const headers = { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    // Following: answer at once (the container may stay silent); errors then end the stream.
    if (p.follow) { res.writeHead(200, headers); res.flushHeaders(); }
    // Headers go out with the first byte, so a runtime failure before any output is a Status.
    const { stream: out, flush } = batchingWriter(res, () => { if (!res.headersSent) res.writeHead(200, headers); });
    try {
      await opts.runtime.logs(containerId, {
        follow: p.follow, timestamps: p.timestamps, signal: abort.signal,
        ...(p.tail !== undefined ? { tail: p.tail } : {}),
        ...(p.sinceTime !== undefined ? { sinceTime: p.sinceTime } : {}),
        ...(p.limitBytes !== undefined ? { limitBytes: p.limitBytes } : {}),
      }, out);
    } catch (err) {
      if (abort.signal.aborted) return;
      if (!res.headersSent) throw Errors.internal(`failed to read the logs of container ${containerId}: ${(err as Error).message}`);
      log.info({ err: (err as Error).message, containerId }, 'log stream ended by an error');
      res.destroy();
      return;
    }
    flush();
    if (!res.headersSent) res.writeHead(200, headers);
    res.end();
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const route = routeOf(url.pathname);
    authenticate(req);
    if (route.kind === 'attach') throw unsupported('attach');
    if (route.kind === 'portforward') return portForward(route, req, socket, head);
    if (route.kind !== 'exec') throw Errors.resourceNotFound(`no streaming endpoint at ${url.pathname}`);
    const p = parseExecParams(url.searchParams, true);
    const containerId = await locate(route, false);
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'spdy/3.1') {
      const offered = parseProtocolHeader(req.headers['x-stream-protocol-version']);
      if (!offered.includes(V4)) {
        throw Errors.badRequest(`exec over SPDY speaks ${V4} only (offered: ${offered.join(', ') || 'none'}); kubectl 1.27 and newer offer it`);
      }
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${V4}\r\n\r\n`);
      log.debug({ containerId, command: p.command, protocol: `SPDY/3.1+${V4}` }, 'exec started');
      runSpdyExecSession(socket, head, opts.runtime, containerId, p, log);
      return;
    }
    if (upgrade !== 'websocket') {
      throw Errors.badRequest(`exec streams over WebSocket (${SUPPORTED_PROTOCOLS.join(', ')}) or SPDY/3.1 (${V4}), not ${JSON.stringify(req.headers.upgrade ?? '')}`);
    }
    const protocol = selectProtocol(parseProtocolHeader(req.headers['sec-websocket-protocol']));
    if (!protocol) {
      throw Errors.badRequest(`no supported streaming protocol requested: k8ts speaks ${SUPPORTED_PROTOCOLS.join(', ')} (got ${JSON.stringify(req.headers['sec-websocket-protocol'] ?? '')})`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      log.debug({ containerId, command: p.command, protocol }, 'exec started');
      void runExecSession(ws, protocol, opts.runtime, containerId, p, log);
    });
  }

  function portForward(route: Route, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const dial = opts.portForward;
    if (!dial || !route.ns || !route.pod) throw unsupported('port-forward');
    const ns = route.ns;
    const pod = route.pod;
    // kubectl 1.31+ first tries SPDY tunneled in a WebSocket; any non-101 makes it fall back to SPDY.
    if (String(req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
      throw Errors.badRequest(`port-forward is served over SPDY/3.1 only (got an upgrade to ${JSON.stringify(req.headers.upgrade ?? '')})`);
    }
    if (!parseProtocolHeader(req.headers['x-stream-protocol-version']).includes(PORT_FORWARD_PROTOCOL)) {
      throw Errors.badRequest(`port-forward needs X-Stream-Protocol-Version ${PORT_FORWARD_PROTOCOL}`);
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
    log.debug({ pod: `${ns}/${pod}` }, 'port-forward started');
    runPortForwardSession(socket, head, (port) => dial(ns, pod, port), log);
  }

  function authenticate(req: IncomingMessage): void {
    const sock = req.socket as TLSSocket;
    const subject = sock.getPeerCertificate?.()?.subject;
    if (!sock.authorized) throw Errors.unauthorized(subject
      ? `client certificate not trusted: ${sock.authorizationError ?? 'unknown issuer'}`
      : 'Unauthorized: a client certificate signed by the kubelet client CA is required');
    const cn = String(subject?.CN ?? '');
    const orgs = ([] as unknown[]).concat(subject?.O ?? []).map(String);
    if (cn !== KUBELET_CLIENT_CN && !orgs.includes('system:masters')) {
      throw Errors.forbidden(`Forbidden (user=${cn}, groups=[${orgs.join(' ')}]): only the apiserver (${KUBELET_CLIENT_CN}) or system:masters may use the kubelet API`);
    }
  }

  async function locate(route: Route, previous: boolean): Promise<string> {
    if (!route.ns || !route.pod) throw Errors.resourceNotFound('the server could not find the requested resource');
    const r = await opts.locate(route.ns, route.pod, route.container, { previous });
    if ('error' in r) throw r.error;
    return r.containerId;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => { server.off('error', reject); resolve(); });
  });
  server.on('error', (err) => log.error({ err }, 'kubelet server error'));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  log.info({ host: opts.host, port }, 'kubelet server listening');
  return {
    port,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const c of wss.clients) c.terminate();
      for (const s of upgraded) s.destroy();
      server.closeAllConnections();
      await closed;
    },
  };
}

function unsupported(what: string): StatusError {
  return Errors.badRequest(`${what} is not supported by the k8ts kubelet`);
}

function routeOf(pathname: string): Route {
  let parts: string[];
  try { parts = pathname.split('/').filter(Boolean).map(decodeURIComponent); } catch { throw Errors.badRequest(`malformed path ${pathname}`); }
  const [head, ns, pod, ...rest] = parts;
  if (head === 'healthz' && parts.length === 1) return { kind: 'healthz' };
  const base = { ns, pod };
  switch (head) {
    case 'containerLogs':
      if (parts.length === 4) return { kind: 'logs', ...base, container: rest[0] };
      break;
    case 'exec': case 'attach':
      // {container} or {uid}/{container}; a missing container means "the default one"
      if (parts.length >= 3 && parts.length <= 5) return { kind: head, ...base, container: rest[rest.length - 1] };
      break;
    case 'portForward':
      return { kind: 'portforward', ...base };
  }
  throw Errors.resourceNotFound(`the kubelet has no endpoint at ${pathname}`);
}
