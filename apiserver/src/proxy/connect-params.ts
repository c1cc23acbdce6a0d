// Translates pods/log and pods/exec|attach query parameters (PodLogOptions, PodExecOptions,
// PodAttachOptions as kubectl sends them) into the kubelet's paths and query strings, as
// upstream's LogLocation / ExecLocation do. Pure. PodLogOptions are validated here (422
// Invalid with upstream's field messages); exec flags are passed on for the kubelet to check.
import { Errors, type StatusCause } from '@k8ts/shared';

export type Query = Record<string, string | string[] | undefined>;

const all = (q: Query, k: string): string[] => {
  const v = q[k];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const one = (q: Query, k: string): string | undefined => all(q, k).at(-1);

/** Go's strconv.ParseBool, as query parameter conversion uses it; undefined when absent. */
function bool(q: Query, k: string, causes: StatusCause[]): boolean {
  const v = one(q, k);
  if (v === undefined || v === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  causes.push({ reason: 'FieldValueInvalid', field: k, message: `Invalid value: "${v}": must be a boolean` });
  return false;
}

function int(q: Query, k: string, min: number, causes: StatusCause[]): number | undefined {
  const v = one(q, k);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) { causes.push({ reason: 'FieldValueInvalid', field: k, message: `Invalid value: "${v}": must be an integer` }); return undefined; }
  if (n < min) causes.push({ reason: 'FieldValueInvalid', field: k, message: `Invalid value: ${n}: must be greater than or equal to ${min}` });
  return n;
}

export interface LogRequest { container?: string; previous: boolean; query: string; }

export function logRequest(q: Query, podName: string): LogRequest {
  const causes: StatusCause[] = [];
  const out = new URLSearchParams();
  for (const k of ['follow', 'previous', 'timestamps']) if (bool(q, k, causes)) out.set(k, 'true');
  bool(q, 'insecureSkipTLSVerifyBackend', causes); // validated; the kubelet CA decides verification
  const tail = int(q, 'tailLines', 0, causes);
  const limit = int(q, 'limitBytes', 1, causes);
  const since = int(q, 'sinceSeconds', 1, causes);
  const sinceTime = one(q, 'sinceTime');
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) causes.push({ reason: 'FieldValueInvalid', field: 'sinceTime', message: `Invalid value: "${sinceTime}": must be an RFC 3339 time` });
  if (since !== undefined && sinceTime) causes.push({ reason: 'FieldValueForbidden', field: '', message: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (causes.length) throw Errors.invalid('PodLogOptions', podName, causes);
  if (tail !== undefined) out.set('tailLines', String(tail));
  if (limit !== undefined) out.set('limitBytes', String(limit));
  if (since !== undefined) out.set('sinceSeconds', String(since));
  if (sinceTime) out.set('sinceTime', sinceTime);
  const container = one(q, 'container') || undefined;
  return { ...(container ? { container } : {}), previous: out.has('previous'), query: out.toString() };
}

export interface StreamRequest { container?: string; query: string; }

/** exec and attach: command (exec only) and the stream flags under the kubelet's names. */
export function streamRequest(q: Query, withCommand: boolean): StreamRequest {
  const causes: StatusCause[] = [];
  const out = new URLSearchParams();
  if (withCommand) for (const c of all(q, 'command')) out.append('command', c);
  for (const [from, to] of [['stdin', 'input'], ['stdout', 'output'], ['stderr', 'error'], ['tty', 'tty']] as const) {
    if (bool(q, from, causes)) out.set(to, '1');
  }
  if (causes.length) throw Errors.badRequest(causes.map((c) => `${c.field}: ${c.message}`).join(', '));
  const container = one(q, 'container') || undefined;
  return { ...(container ? { container } : {}), query: out.toString() };
}
