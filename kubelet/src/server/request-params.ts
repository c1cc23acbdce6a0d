// Query parameters of the kubelet's streaming endpoints, parsed and validated.
//   /containerLogs: follow, previous, timestamps (true|1), tailLines (>= 0), limitBytes (>= 1),
//                   sinceSeconds (>= 1) or sinceTime (RFC 3339), not both.
//   /exec, /attach: command (repeated), and the stream flags under both their kubelet names
//                   (input/output/error, what the apiserver sends upstream) and their
//                   PodExecOptions names (stdin/stdout/stderr); tty.
// Pure; invalid values throw a 400 StatusError with the offending parameter named.
import { Errors } from '@k8ts/shared';

type Params = URLSearchParams;

const bool = (v: string | null): boolean => v !== null && /^(1|true|t|yes)$/i.test(v);

function int(q: Params, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw Errors.badRequest(`${name}: invalid value ${JSON.stringify(v)}: must be an integer greater than or equal to ${min}`);
  return n;
}

export interface LogParams {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tail?: number;
  limitBytes?: number;
  /** epoch ms */
  sinceTime?: number;
}

export function parseLogParams(q: Params, now: () => number = Date.now): LogParams {
  const out: LogParams = { follow: bool(q.get('follow')), previous: bool(q.get('previous')), timestamps: bool(q.get('timestamps')) };
  const tail = int(q, 'tailLines', 0);
  if (tail !== undefined) out.tail = tail;
  const limit = int(q, 'limitBytes', 1);
  if (limit !== undefined) out.limitBytes = limit;
  const sinceSeconds = int(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw Errors.badRequest('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) out.sinceTime = now() - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw Errors.badRequest(`sinceTime: invalid value ${JSON.stringify(sinceTime)}: must be an RFC 3339 time`);
    out.sinceTime = t;
  }
  return out;
}

export interface ExecParams {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseExecParams(q: Params, requireCommand: boolean): ExecParams {
  const command = q.getAll('command');
  if (requireCommand && command.length === 0) throw Errors.badRequest('you must specify at least one command for the container');
  const flag = (a: string, b: string) => bool(q.get(a)) || bool(q.get(b));
  const p: ExecParams = {
    command,
    stdin: flag('input', 'stdin'),
    stdout: flag('output', 'stdout'),
    stderr: flag('error', 'stderr'),
    tty: flag('tty', 'tty'),
  };
  // A terminal merges stderr into stdout (upstream rejects tty+stderr; kubectl never asks).
  if (p.tty) p.stderr = false;
  if (!p.stdin && !p.stdout && !p.stderr) throw Errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return p;
}
