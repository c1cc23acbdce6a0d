// One exec over an accepted channel.k8s.io WebSocket: wires the socket's channels to
// runtime.exec and ends with exactly one Status on channel 3, then a 1000 close.
//
// Contract:
// - Output order: every stdout/stderr byte the process wrote is sent before the Status (the
//   runtime resolves exec only after the process's streams closed; sends are ordered).
// - stdin ends on a v5 close signal [255, 0] or when the socket closes; v4 clients cannot end
//   stdin before closing the socket.
// - The process is killed (signal aborted) when the client goes away before it exits.
// - Resize messages are passed on for tty sessions and ignored otherwise.
// - Backpressure: stdout/stderr writes wait while the socket's buffer is above 1 MiB.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Logger } from '@k8ts/shared';
import type { ContainerRuntime } from '../runtime/types.js';
import { ERROR, STDERR, STDIN, STDOUT, errorStatus, exitStatus, frame, parseIncoming, type StreamStatus } from './channel-protocol.js';
import type { ExecParams } from './request-params.js';

const HIGH_WATER = 1024 * 1024;

export async function runExecSession(ws: WebSocket, protocol: string, runtime: ContainerRuntime, containerId: string, p: ExecParams, log: Logger): Promise<void> {
  const abort = new AbortController();
  const stdin = p.stdin ? new PassThrough() : undefined;
  const resizes = p.tty ? resizeQueue() : undefined;
  let open = true;

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!isBinary && buf.length === 0) return;
    const m = parseIncoming(buf, protocol);
    if (m.kind === 'stdin') { if (stdin && !stdin.writableEnded) stdin.write(m.data); }
    else if (m.kind === 'close') { if (m.channel === STDIN) stdin?.end(); }
    else if (m.kind === 'resize') resizes?.push({ width: m.width, height: m.height });
    else log.debug({ why: m.why }, 'ignored exec stream message');
  });
  ws.on('close', () => {
    open = false;
    stdin?.end();
    resizes?.end();
    abort.abort();
  });
  ws.on('error', (err) => log.debug({ err: err.message }, 'exec websocket error'));

  const sink = (channel: number) => new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!open) return cb();
      ws.send(frame(channel, chunk), { binary: true }, () => undefined);
      if (ws.bufferedAmount < HIGH_WATER) return cb();
      const wait = () => (!open || ws.bufferedAmount < HIGH_WATER ? cb() : setTimeout(wait, 10));
      wait();
    },
  });

  let status: StreamStatus;
  try {
    const code = await runtime.exec(containerId, {
      command: p.command,
      tty: p.tty,
      ...(stdin ? { stdin } : {}),
      ...(p.stdout ? { stdout: sink(STDOUT) } : {}),
      ...(p.stderr ? { stderr: sink(STDERR) } : {}),
      ...(resizes ? { resize: resizes.iterable } : {}),
      signal: abort.signal,
    });
    status = exitStatus(code, p.command);
  } catch (err) {
    log.info({ err: (err as Error).message, containerId }, 'exec failed');
    status = errorStatus(`error executing command in container: ${(err as Error).message}`);
  }
  resizes?.end();
  if (!open) return;
  ws.send(frame(ERROR, JSON.stringify(status)), { binary: true }, () => undefined);
  ws.close(1000);
}

/** A push queue exposed as an AsyncIterable (terminal sizes, in order, until end()). */
function resizeQueue() {
  const buf: { width: number; height: number }[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  return {
    push(s: { width: number; height: number }) { if (!done) { buf.push(s); wake?.(); } },
    end() { done = true; wake?.(); },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (buf.length) yield buf.shift()!;
          if (done) return;
          await new Promise<void>((r) => { wake = r; });
          wake = undefined;
        }
      },
    },
  };
}
