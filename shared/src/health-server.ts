// The health endpoint every component serves (plain HTTP, loopback by default):
//   GET /healthz, /livez, /readyz → 200 "ok" | 503 "<name> check failed"
//   GET /metrics                  → 200 Prometheus text (only when `metrics` is given)
// Contract: a check that throws, rejects or takes longer than checkTimeoutMs counts as failed;
// /livez uses the livez check when given, else healthz; a missing check passes. HEAD is
// answered like GET without a body; other methods get 405, other paths 404. Query strings
// (e.g. ?verbose) are ignored. close() also drops keep-alive connections.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthCheck = () => boolean | Promise<boolean>;

export interface HealthServerOptions {
  /** 0 picks a free port (see the returned `port`). */
  port: number;
  host?: string;
  checks: { healthz?: HealthCheck; readyz?: HealthCheck; livez?: HealthCheck };
  metrics?: () => string | Promise<string>;
  /** JSON bodies for probe paths (e.g. kube-proxy's /healthz reports its last sync); default "ok". */
  details?: Partial<Record<'healthz' | 'readyz' | 'livez', () => unknown>>;
  checkTimeoutMs?: number;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

async function runCheck(check: HealthCheck | undefined, timeoutMs: number): Promise<boolean> {
  if (!check) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    return (await Promise.race([Promise.resolve().then(check), timeout])) === true;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = opts.checkTimeoutMs ?? 5000;
  const send = (res: ServerResponse, req: IncomingMessage, code: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, req, 405, 'method not allowed\n');
    const probe = path === '/healthz' ? opts.checks.healthz
      : path === '/readyz' ? opts.checks.readyz
        : path === '/livez' ? opts.checks.livez ?? opts.checks.healthz
          : null;
    if (probe !== null) {
      const ok = await runCheck(probe, timeoutMs);
      const details = opts.details?.[path.slice(1) as 'healthz'];
      if (details) return send(res, req, ok ? 200 : 503, `${JSON.stringify(details())}\n`, 'application/json');
      return ok ? send(res, req, 200, 'ok') : send(res, req, 503, `${path.slice(1)} check failed`);
    }
    if (path === '/metrics' && opts.metrics) {
      try {
        return send(res, req, 200, await opts.metrics(), 'text/plain; version=0.0.4; charset=utf-8');
      } catch (e) {
        return send(res, req, 500, `metrics failed: ${(e as Error).message}\n`);
      }
    }
    send(res, req, 404, 'not found\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, req, 500, 'internal error\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      let closing: Promise<void> | undefined;
      resolve({
        port,
        close: () => (closing ??= new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        })),
      });
    });
  });
}
