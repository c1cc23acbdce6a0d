// The apiserver's pods/log, pods/exec, pods/attach and pods/portforward: after the request is
// authenticated and the pod found bound (resource-handler.ts), check the container, find the
// node's kubelet and proxy to it over HTTPS with the apiserver's kubelet-client certificate.
//
// Contract:
// - log: streams the kubelet's body through as it comes (follow stays open until either side
//   ends); a client that goes away closes the kubelet connection.
// - exec/attach: must be an HTTP Upgrade (else 400 "Upgrade request required"); the upgrade is
//   replayed to the kubelet with the client's WebSocket/SPDY headers (never its credentials)
//   and, on 101, the two sockets are piped both ways until one side closes. The kubelet
//   decides the protocol (WebSocket or SPDY/3.1 for exec, SPDY/3.1 for port-forward).
// - A kubelet that answers an error: its Status passes through (401/403 from the kubelet
//   become 502: they are about the apiserver's certificate, not the user's); plain text
//   becomes a Status with the kubelet's code. A kubelet that cannot be reached (refused,
//   TLS failure, no connection within connectTimeoutMs): 503 "error dialing backend: ...".
// - portforward: the upgrade is proxied like exec (no container); the kubelet serves SPDY/3.1.
// - Verifies the kubelet's serving certificate only when `tls.ca` is given (upstream's
//   --kubelet-certificate-authority; without it upstream skips verification too).
import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors, StatusError, makeStatus, type KubeObject, type Logger, type Status, type StatusReason } from '@k8ts/shared';
import { logRequest, streamRequest, type Query } from './connect-params.js';
import { kubeletLocation, type KubeletLocation } from './kubelet-location.js';
import { checkLogsAvailable, checkRunning, resolveContainer } from '@k8ts/shared/pod-containers';
import { upgradeOf } from './upgrade-routing.js';

export interface KubeletClientTls { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; }

export interface PodConnectOptions {
  getNode(name: string): Promise<KubeObject>;
  tls: KubeletClientTls;
  log: Logger;
  connectTimeoutMs?: number;
}

export type PodConnect = (req: FastifyRequest, reply: FastifyReply, pod: KubeObject, sub: string) => Promise<void>;

const FORWARDED_UPGRADE_HEADERS = ['upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'x-stream-protocol-version'];

export function createPodConnect(o: PodConnectOptions): PodConnect {
  const log = o.log.child({ subsystem: 'kubelet-proxy' });
  const connectTimeoutMs = o.connectTimeoutMs ?? 10_000;

  return async (req, reply, pod, sub) => {
    const q = (req.query ?? {}) as Query;
    const ns = pod.metadata.namespace!;
    const podName = pod.metadata.name!;
    const nodeName = String(pod.spec?.nodeName);
    if (sub === 'portforward') {
      if (req.method !== 'GET' && req.method !== 'POST') throw Errors.methodNotAllowed();
      const ports = new URLSearchParams();
      for (const p of ([] as unknown[]).concat(q.ports ?? [])) ports.append('ports', String(p));
      const qs = ports.toString();
      return proxyUpgrade(req, reply, nodeName, `/portForward/${enc(ns)}/${enc(podName)}${qs ? `?${qs}` : ''}`);
    }
    if (sub === 'log') {
      if (req.method !== 'GET') throw Errors.methodNotAllowed();
      const lr = logRequest(q, podName);
      const container = resolveContainer(pod, lr.container);
      checkLogsAvailable(pod, container, lr.previous);
      const loc = kubeletLocation(await o.getNode(nodeName));
      const path = `/containerLogs/${enc(ns)}/${enc(podName)}/${enc(container)}${lr.query ? `?${lr.query}` : ''}`;
      const up = await open(loc, nodeName, { method: 'GET', path, headers: { Accept: 'text/plain' } });
      if (up.kind !== 'response') { up.socket.destroy(); throw Errors.internal('the kubelet upgraded a log request'); }
      if (up.res.statusCode !== 200) throw await kubeletError(up.res, nodeName);
      return streamBody(reply, up.res, up.req);
    }
    // exec, attach
    if (req.method !== 'GET' && req.method !== 'POST') throw Errors.methodNotAllowed();
    const sr = streamRequest(q, sub === 'exec');
    const container = resolveContainer(pod, sr.container);
    checkRunning(pod, container);
    return proxyUpgrade(req, reply, nodeName, `/${sub}/${enc(ns)}/${enc(podName)}/${enc(container)}${sr.query ? `?${sr.query}` : ''}`);
  };

  /** Replays the client's upgrade to the kubelet; on 101 splices the sockets, else throws its error. */
  async function proxyUpgrade(req: FastifyRequest, reply: FastifyReply, nodeName: string, path: string): Promise<void> {
    const client = upgradeOf(req.raw);
    if (!client) throw Errors.badRequest('Upgrade request required');
    const loc = kubeletLocation(await o.getNode(nodeName));
    const headers: Record<string, string> = { Connection: 'Upgrade' };
    for (const h of FORWARDED_UPGRADE_HEADERS) {
      const v = req.headers[h];
      if (v !== undefined) headers[h] = Array.isArray(v) ? v.join(', ') : v;
    }
    const up = await open(loc, nodeName, { method: req.method, path, headers });
    if (up.kind === 'response') throw await kubeletError(up.res, nodeName);
    reply.hijack();
    reply.raw.detachSocket(client.socket as Socket);
    splice(client.socket, client.head, up.res, up.socket, up.head);
    log.debug({ path, node: nodeName }, 'stream proxied');
  }

  type Opened =
    | { kind: 'response'; res: IncomingMessage; req: ReturnType<typeof request> }
    | { kind: 'upgrade'; res: IncomingMessage; socket: Duplex; head: Buffer };

  function open(loc: KubeletLocation, nodeName: string, r: Pick<RequestOptions, 'method' | 'path' | 'headers'>): Promise<Opened> {
    return new Promise((resolve, reject) => {
      const creq = request({
        host: loc.host, port: loc.port, ...r, agent: false,
        cert: o.tls.cert, key: o.tls.key, ...(o.tls.ca ? { ca: o.tls.ca } : {}), rejectUnauthorized: !!o.tls.ca,
      });
      let settled = false;
      const timer = setTimeout(() => creq.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      creq.on('socket', (s) => s.once('secureConnect', () => clearTimeout(timer)));
      creq.on('response', (res) => { settled = true; clearTimeout(timer); resolve({ kind: 'response', res, req: creq }); });
      creq.on('upgrade', (res, socket, head) => { settled = true; clearTimeout(timer); resolve({ kind: 'upgrade', res, socket, head }); });
      creq.on('error', (err) => {
        clearTimeout(timer);
        if (settled) return; // a stream already handed over ended; its owner cleans up
        settled = true;
        log.info({ node: nodeName, host: loc.host, port: loc.port, err: err.message }, 'kubelet unreachable');
        reject(Errors.unavailable(`error dialing backend: kubelet of node "${nodeName}" at ${loc.host}:${loc.port}: ${err.message}`));
      });
      creq.end();
    });
  }
}

/** Streams a 200 log body to the client; either side closing ends the other. */
function streamBody(reply: FastifyReply, res: IncomingMessage, upstream: ReturnType<typeof request>): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'Content-Type': res.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  raw.flushHeaders();
  res.pipe(raw);
  raw.on('close', () => upstream.destroy());
  res.on('error', () => undefined);
  res.on('close', () => { if (!raw.writableEnded) raw.end(); });
}

/** Writes the kubelet's 101 to the client, then pipes the raw sockets both ways. */
function splice(client: Duplex, clientHead: Buffer, res: IncomingMessage, kubelet: Duplex, kubeletHead: Buffer): void {
  const lines = [`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  client.write(lines.join('\r\n') + '\r\n\r\n');
  if (kubeletHead.length) client.write(kubeletHead);
  if (clientHead.length) kubelet.write(clientHead);
  kubelet.pipe(client);
  client.pipe(kubelet);
  const kill = () => { kubelet.destroy(); client.destroy(); };
  kubelet.on('error', kill);
  client.on('error', kill);
  client.on('close', () => kubelet.destroy());
  // let what the kubelet sent last (status frame, close frame) reach the client first
  kubelet.on('close', () => { client.end(); setTimeout(() => client.destroy(), 5000).unref(); });
}

async function kubeletError(res: IncomingMessage, nodeName: string): Promise<StatusError> {
  const code = res.statusCode ?? 500;
  let body = '';
  try {
    for await (const chunk of res) { body += chunk; if (body.length > 64 * 1024) break; }
  } catch { /* keep what we have */ }
  res.destroy();
  let status: Status | undefined;
  try {
    const j = JSON.parse(body) as Status;
    if (j && j.kind === 'Status' && typeof j.code === 'number') status = j;
  } catch { /* plain text */ }
  const message = status?.message ?? (body.trim() || `the kubelet answered HTTP ${code}`);
  if (code === 401 || code === 403) {
    return new StatusError('K8TS_ERR_KUBELET_AUTH', makeStatus(502, undefined, `the kubelet of node "${nodeName}" refused the apiserver's client certificate: ${message}`));
  }
  return new StatusError('K8TS_ERR_KUBELET', status ?? makeStatus(code, reasonFor(code), message));
}

function reasonFor(code: number): StatusReason | undefined {
  const m: Record<number, StatusReason> = { 400: 'BadRequest', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };
  return m[code];
}

const enc = encodeURIComponent;
