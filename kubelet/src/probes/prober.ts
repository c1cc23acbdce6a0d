// One probe attempt (upstream prober): exec via runtime.exec (exit 0 = success), httpGet to
// the pod IP (2xx/3xx = success; HTTPS without certificate verification, as upstream),
// tcpSocket (connect = success). Every attempt is bounded by timeoutSeconds; a timeout or any
// error is a failure with a message that goes into the Unhealthy event.
// Named ports resolve against the container's ports[].name. gRPC probes are not implemented
// and always succeed (logged once by the caller).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import type { ContainerRuntime } from '../runtime/types.js';

type Rec = Record<string, any>;

export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Rec;
  podIP?: string;
}

export interface ProbeResult { ok: boolean; output: string }

export async function runProbe(probe: Rec, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, Number(probe.timeoutSeconds ?? 1)) * 1000;
  try {
    if (probe.exec) return await execProbe(probe.exec.command ?? [], timeoutMs, t);
    if (probe.httpGet) return await httpProbe(probe.httpGet, timeoutMs, t);
    if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket, timeoutMs, t);
    return { ok: true, output: 'unsupported probe handler (treated as success)' };
  } catch (e) {
    return { ok: false, output: (e as Error).message };
  }
}

export function resolvePort(port: unknown, container: Rec): number {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  const named = ((container.ports ?? []) as Rec[]).find((p) => p.name === port);
  if (!named) throw new Error(`unable to find port "${String(port)}" in container ${container.name}`);
  return Number(named.containerPort);
}

async function execProbe(command: string[], timeoutMs: number, t: ProbeTarget): Promise<ProbeResult> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => { ac.abort(); resolve({ ok: false, output: `command ${JSON.stringify(command)} timed out` }); }, timeoutMs);
  });
  try {
    // stdout + stderr of the command (first 10 KiB) go into the Unhealthy message, as upstream
    let out = '';
    const sink = new Writable({ write(chunk, _enc, cb) { if (out.length < 10_240) out += String(chunk); cb(); } });
    const run = t.runtime.exec(t.containerId, { command, tty: false, stdout: sink, stderr: sink, signal: ac.signal, timeoutMs }).then((code) => (
      code === 0 ? { ok: true, output: out.trim() } : { ok: false, output: out.trim() || `command ${JSON.stringify(command)} exited with ${code}` }
    ));
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function httpProbe(h: Rec, timeoutMs: number, t: ProbeTarget): Promise<ProbeResult> {
  const host: string = h.host || t.podIP || '127.0.0.1';
  const port = resolvePort(h.port, t.container);
  const scheme = String(h.scheme ?? 'HTTP').toLowerCase();
  const path: string = h.path || '/';
  // one connection per probe, closed after it (upstream's prober disables keep-alive): a kept
  // connection would hide a server that stopped accepting, and hold the pod's server open
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.31', accept: '*/*', connection: 'close' };
  for (const hh of (h.httpHeaders ?? []) as Rec[]) headers[String(hh.name).toLowerCase()] = String(hh.value);
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  return new Promise((resolve) => {
    const req = (scheme === 'https' ? httpsRequest : httpRequest)(url, { method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => { req.destroy(); resolve({ ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }); });
    req.on('error', (e) => resolve({ ok: false, output: `Get "${url}": ${e.message}` }));
    req.end();
  });
}

function tcpProbe(s: Rec, timeoutMs: number, t: ProbeTarget): Promise<ProbeResult> {
  const host: string = s.host || t.podIP || '127.0.0.1';
  const port = resolvePort(s.port, t.container);
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => { sock.destroy(); resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` }); }, timeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.destroy(); resolve({ ok: true, output: '' }); });
    sock.once('error', (e) => { clearTimeout(timer); resolve({ ok: false, output: `dial tcp ${host}:${port}: ${e.message}` }); });
  });
}
