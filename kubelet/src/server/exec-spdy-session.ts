// One exec over SPDY/3.1 with the v4.channel.k8s.io stream protocol (kubectl 1.29 and older,
// and newer ones when the WebSocket attempt fails): the client opens one stream per channel,
// each with a `streamType` header — error, stdin, stdout, stderr, resize (tty) — and the
// command starts once every stream the request asked for exists. stdout/stderr end with FIN;
// then the error stream carries the final Status JSON (as channel 3 does over WebSocket) and
// ends, and the connection is closed.
//
// Contract: missing streams after 30 s close the connection without running anything; the
// process is killed when the connection goes away; resize messages (JSON objects, one per
// line) are passed on for tty sessions. v1–v3 SPDY protocols (plain-text errors) are not spoken.
import { Writable } from 'node:stream';
import type { Logger } from '@k8ts/shared';
import type { ContainerRuntime } from '../runtime/types.js';
import { errorStatus, exitStatus, type StreamStatus } from './channel-protocol.js';
import type { ExecParams } from './request-params.js';
import { SpdyConnection, type SpdyStream } from './spdy/spdy-connection.js';
import type { Duplex } from 'node:stream';

const STREAMS_TIMEOUT_MS = 30_000;

export function runSpdyExecSession(socket: Duplex, head: Buffer, runtime: ContainerRuntime, containerId: string, p: ExecParams, log: Logger): void {
  const conn = new SpdyConnection(socket, head, log);
  const want = new Set(['error', ...(p.stdin ? ['stdin'] : []), ...(p.stdout ? ['stdout'] : []), ...(p.stderr ? ['stderr'] : []), ...(p.tty ? ['resize'] : [])]);
  const got = new Map<string, SpdyStream>();
  const timer = setTimeout(() => { log.debug({ got: [...got.keys()] }, 'exec streams did not all arrive'); conn.close(); }, STREAMS_TIMEOUT_MS);
  timer.unref();
  conn.on('close', () => clearTimeout(timer));
  conn.on('stream', (s: SpdyStream) => {
    const type = s.headers.get('streamtype')?.[0] ?? '';
    if (!want.has(type) || got.has(type)) { conn.reset(s.id); return; }
    got.set(type, s);
    if (got.size === want.size) { clearTimeout(timer); void run(); }
  });

  async function run(): Promise<void> {
    const abort = new AbortController();
    conn.on('close', () => abort.abort());
    const sink = (s: SpdyStream) => new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (conn.closed || s.write(chunk)) cb(); else conn.onDrain(() => cb());
      },
    });
    const stdout = got.get('stdout');
    const stderr = got.get('stderr');
    const resize = got.get('resize');
    let status: StreamStatus;
    try {
      const code = await runtime.exec(containerId, {
        command: p.command,
        tty: p.tty,
        ...(got.has('stdin') ? { stdin: got.get('stdin')!.incoming } : {}),
        ...(stdout ? { stdout: sink(stdout) } : {}),
        ...(stderr ? { stderr: sink(stderr) } : {}),
        ...(resize ? { resize: resizes(resize) } : {}),
        signal: abort.signal,
      });
      status = exitStatus(code, p.command);
    } catch (err) {
      log.info({ err: (err as Error).message, containerId }, 'exec failed');
      status = errorStatus(`error executing command in container: ${(err as Error).message}`);
    }
    if (conn.closed) return;
    stdout?.end();
    stderr?.end();
    const error = got.get('error')!;
    error.write(Buffer.from(JSON.stringify(status)));
    error.end();
    conn.close();
  }
}

/** Terminal sizes from the resize stream: JSON objects {"Width","Height"}, one per line. */
async function* resizes(s: SpdyStream): AsyncIterable<{ width: number; height: number }> {
  let buf = '';
  for await (const chunk of s.incoming) {
    buf += String(chunk);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        const r = JSON.parse(line) as { Width?: unknown; Height?: unknown };
        const width = Number(r.Width);
        const height = Number(r.Height);
        if (Number.isInteger(width) && Number.isInteger(height) && width >= 0 && height >= 0) yield { width, height };
      } catch { /* not JSON: ignored */ }
    }
  }
}
