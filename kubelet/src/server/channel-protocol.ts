// The Kubernetes "channel.k8s.io" WebSocket streaming protocol (v4 and v5), as spoken by
// kubectl 1.30+ for exec/attach: every binary message starts with one channel byte.
//   0 stdin (client → server), 1 stdout, 2 stderr, 3 error (a metav1.Status JSON, sent once,
//   last), 4 resize (client → server, JSON {"Width","Height"}).
//   v5 only: a message [255, ch] means "the client closed channel ch" (stdin EOF).
// Pure functions: framing, parsing and the final Status documents. Base64 variants
// (base64.channel.k8s.io) and v1–v3 (plain-text errors) are not supported.

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
/** In order of preference. */
export const SUPPORTED_PROTOCOLS: readonly string[] = [V5, V4];

/** The first protocol the client offers that we support (client order, as upstream picks). */
export function selectProtocol(offered: Iterable<string>): string | undefined {
  for (const p of offered) if (SUPPORTED_PROTOCOLS.includes(p.trim())) return p.trim();
  return undefined;
}

/** Splits a Sec-WebSocket-Protocol header value into protocol names. */
export function parseProtocolHeader(h: string | string[] | undefined): string[] {
  if (h === undefined) return [];
  return (Array.isArray(h) ? h.join(',') : h).split(',').map((s) => s.trim()).filter(Boolean);
}

export function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  body.copy(out, 1);
  return out;
}

export type Incoming =
  | { kind: 'stdin'; data: Buffer }
  | { kind: 'resize'; width: number; height: number }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored'; why: string };

/** Decodes one client message. Never throws: malformed input is reported as `ignored`. */
export function parseIncoming(msg: Buffer, protocol: string): Incoming {
  if (msg.length === 0) return { kind: 'ignored', why: 'empty message' };
  const ch = msg[0]!;
  if (ch === CLOSE && protocol === V5) {
    if (msg.length !== 2) return { kind: 'ignored', why: `close signal must carry exactly one channel byte, got ${msg.length - 1}` };
    return { kind: 'close', channel: msg[1]! };
  }
  const data = msg.subarray(1);
  if (ch === STDIN) return { kind: 'stdin', data };
  if (ch === RESIZE) {
    try {
      const r = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
      const width = Number(r.Width);
      const height = Number(r.Height);
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) return { kind: 'ignored', why: 'resize with a bad size' };
      return { kind: 'resize', width, height };
    } catch {
      return { kind: 'ignored', why: 'resize message is not JSON' };
    }
  }
  return { kind: 'ignored', why: `message for channel ${ch}, which a client may not write` };
}

export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

/** The channel-3 document for an exit code: Success for 0, NonZeroExitCode otherwise. */
export function exitStatus(exitCode: number, command: string[]): StreamStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The channel-3 document for a failure that is not an exit code (runtime error ...). */
export function errorStatus(message: string): StreamStatus {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError' };
}
