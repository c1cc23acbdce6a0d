// Readiness checks: an HTTP(S) GET that must answer 200, CA-verified for https.
//
// Contract:
// - probe never throws: it resolves { ok, detail } (status code or the connection error).
// - waitUntilReady polls every intervalMs until the probe succeeds (resolves), `alive()` turns
//   false (rejects at once: the process died) or timeoutMs passes (rejects with the last detail).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface Readiness {
  url: string;
  /** CA bundle (PEM) that signs an https endpoint's certificate. */
  ca?: string | Buffer;
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

export function probe(r: Readiness, timeoutMs = 2_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      resolve({ ok: false, detail: `invalid URL ${r.url}` });
      return;
    }
    const isHttps = url.protocol === 'https:';
    const req = (isHttps ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      timeout: timeoutMs,
      agent: false,
      ...(isHttps ? { ca: r.ca, rejectUnauthorized: true } : {}),
    }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve({ ok: code === 200, detail: `HTTP ${code}` });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, detail: e.code ? `${e.code}: ${e.message}` : e.message }));
    req.end();
  });
}

export class NotReadyError extends Error {
  readonly code = 'K8TS_ERR_NOT_READY';
  constructor(message: string, readonly processExited: boolean) {
    super(message);
    this.name = 'NotReadyError';
  }
}

export async function waitUntilReady(
  r: Readiness,
  opts: { timeoutMs: number; intervalMs?: number; alive?: () => Promise<boolean> },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'not probed';
  for (;;) {
    const res = await probe(r, Math.min(2_000, Math.max(100, deadline - Date.now())));
    if (res.ok) return;
    last = res.detail;
    if (opts.alive && !(await opts.alive())) throw new NotReadyError(`process exited before ${r.url} was ready (last probe: ${last})`, true);
    if (Date.now() >= deadline) throw new NotReadyError(`${r.url} not ready after ${Math.round(opts.timeoutMs / 1000)} s (last probe: ${last})`, false);
    await new Promise((res2) => setTimeout(res2, opts.intervalMs ?? 200));
  }
}
