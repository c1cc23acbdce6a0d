// The cluster DNS process: Services, Endpoints and Namespaces informers; a UDP and a TCP
// listener answering from them (resolver.ts); self-registration as kube-system/kube-dns.
//
// Contract:
// - Queries are answered only once the informers have synced (before that: SERVFAIL, so
//   clients retry instead of caching a wrong NXDOMAIN).
// - UDP answers over 512 bytes are truncated (TC) and clients retry over TCP (EDNS0 is not
//   handled). Malformed packets are dropped (or FORMERR when the header parsed); nothing a
//   client sends can stop the server.
// - /healthz (process up), /readyz (informers synced), /metrics on the health port.
// - close() stops listeners, informers and the health server. Idempotent.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import {
  ApiClient, Informer, Resources, createLogger, keyFor, startHealthServer,
  type ClusterConnection, type HealthServer, type KubeObject, type Logger,
} from '@k8ts/shared';
import { DnsMetrics } from './metrics.js';
import { registerDnsService } from './registration.js';
import { resolve, type ResolverSource } from './resolver.js';
import { RCODE, buildResponse, errorResponse, parseQuery } from './wire.js';

export interface DnsServerOptions {
  connection: ClusterConnection;
  logger?: Logger;
  bindAddress?: string;
  /** 0 picks a free port (UDP and TCP share it). */
  port?: number;
  zone?: string;
  ttl?: number;
  healthPort?: number | null;
  healthBindAddress?: string;
  /** Register kube-system/kube-dns with this ClusterIP, pointing at advertiseAddress:port. */
  register?: { clusterIP: string; advertiseAddress: string };
}

export interface DnsServer {
  port: number;
  healthPort: number;
  metrics: DnsMetrics;
  close(): Promise<void>;
}

const RCODE_NAMES = Object.fromEntries(Object.entries(RCODE).map(([k, v]) => [v, k]));

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const log = opts.logger ?? createLogger('dns');
  const client = new ApiClient(opts.connection, { userAgent: 'k8ts-dns/0.1.0' });
  const services = new Informer<KubeObject>({ client, ref: Resources.services, logger: log });
  const endpoints = new Informer<KubeObject>({ client, ref: Resources.endpoints, logger: log });
  const namespaces = new Informer<KubeObject>({ client, ref: Resources.namespaces, logger: log });
  const informers = [services, endpoints, namespaces];
  const metrics = new DnsMetrics();
  const zone = opts.zone ?? 'cluster.local';
  const ttl = opts.ttl ?? 5;
  const synced = () => informers.every((i) => i.hasSynced());
  const source: ResolverSource = {
    service: (ns, name) => services.get(keyFor(ns, name)),
    endpoints: (ns, name) => endpoints.get(keyFor(ns, name)),
    hasNamespace: (ns) => !!namespaces.get(ns),
  };

  const answer = (raw: Buffer, maxBytes: number): Buffer | undefined => {
    const q = parseQuery(raw);
    if (!q) {
      metrics.dropped++;
      return errorResponse(raw, RCODE.FORMERR);
    }
    if ((q.flags & 0x7800) !== 0) { metrics.observe('NOTIMP'); return errorResponse(raw, RCODE.NOTIMP); } // only QUERY
    const a = synced()
      ? resolve(q.question.name, q.question.type, source, { zone, ttl })
      : { rcode: RCODE.SERVFAIL, answers: [], authority: [], aa: false };
    metrics.observe(RCODE_NAMES[a.rcode] ?? String(a.rcode));
    return buildResponse(raw, q, a, maxBytes);
  };

  const host = opts.bindAddress ?? '0.0.0.0';
  const udp: Socket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    try {
      const out = answer(msg, 512);
      if (out) udp.send(out, rinfo.port, rinfo.address);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'query failed');
    }
  });
  udp.on('error', (err) => log.error({ err: err.message }, 'udp socket error'));
  await new Promise<void>((res, rej) => { udp.once('error', rej); udp.bind(opts.port ?? 53, host, () => { udp.off('error', rej); res(); }); });
  const port = udp.address().port;

  const conns = new Set<import('node:net').Socket>();
  const tcp: Server = createServer((sock) => {
    conns.add(sock);
    sock.on('close', () => conns.delete(sock));
    let buf = Buffer.alloc(0);
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 65_537) { sock.destroy(); return; }
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        const out = answer(msg, 65535);
        if (out) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          sock.write(Buffer.concat([head, out]));
        }
      }
    });
  });
  await new Promise<void>((res, rej) => { tcp.once('error', rej); tcp.listen(port, host, () => { tcp.off('error', rej); res(); }); });

  let health: HealthServer | undefined;
  if (opts.healthPort !== null) {
    health = await startHealthServer({
      port: opts.healthPort ?? 10054, host: opts.healthBindAddress ?? '127.0.0.1',
      checks: { healthz: () => true, readyz: synced },
      metrics: () => metrics.render(),
    });
  }
  for (const i of informers) i.start();
  let registering: Promise<void> | undefined;
  let stopped = false;
  if (opts.register) {
    const reg = opts.register;
    registering = (async () => {
      for (let attempt = 0; !stopped; attempt++) {
        try {
          await registerDnsService(client, { ...reg, port }, log);
          return;
        } catch (err) {
          if (attempt % 10 === 0) log.warn({ err: (err as Error).message }, 'registering kube-system/kube-dns failed; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
  }
  log.info({ port, host, zone, healthPort: health?.port }, 'cluster DNS listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    healthPort: health?.port ?? 0,
    metrics,
    close: () => (closing ??= (async () => {
      stopped = true;
      udp.close();
      for (const c of conns) c.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
      await Promise.all(informers.map((i) => i.stop()));
      await registering;
      await health?.close();
      await client.close();
    })()),
  };
}
