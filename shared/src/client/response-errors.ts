// Turning failed HTTP exchanges into StatusError, the one error type that crosses module
// boundaries.
// - A non-2xx response whose body is a metav1.Status keeps that Status (reason, message,
//   details, code) verbatim; the k8ts code is derived from the reason.
// - Any other non-2xx body gets a synthesized Status whose reason follows the HTTP code, as
//   client-go's newUnstructuredResponseError does.
// - Transport failures (refused, reset, DNS, TLS, timeouts) become 503 ServiceUnavailable via
//   Errors.unavailable, so callers retry them like a server that is down.
import type { Status } from '../api/meta.js';
import { Errors, StatusError, makeStatus, type StatusReason } from '../errors.js';

const CODE_BY_REASON: Record<string, string> = {
  BadRequest: 'K8TS_ERR_BAD_REQUEST',
  Unauthorized: 'K8TS_ERR_UNAUTHORIZED',
  Forbidden: 'K8TS_ERR_FORBIDDEN',
  NotFound: 'K8TS_ERR_NOT_FOUND',
  MethodNotAllowed: 'K8TS_ERR_METHOD_NOT_ALLOWED',
  NotAcceptable: 'K8TS_ERR_NOT_ACCEPTABLE',
  AlreadyExists: 'K8TS_ERR_ALREADY_EXISTS',
  Conflict: 'K8TS_ERR_CONFLICT',
  Gone: 'K8TS_ERR_GONE',
  Expired: 'K8TS_ERR_EXPIRED',
  RequestEntityTooLarge: 'K8TS_ERR_TOO_LARGE',
  UnsupportedMediaType: 'K8TS_ERR_UNSUPPORTED_MEDIA_TYPE',
  Invalid: 'K8TS_ERR_INVALID',
  TooManyRequests: 'K8TS_ERR_TOO_MANY_REQUESTS',
  InternalError: 'K8TS_ERR_INTERNAL',
  ServiceUnavailable: 'K8TS_ERR_UNAVAILABLE',
  Timeout: 'K8TS_ERR_TIMEOUT',
  ServerTimeout: 'K8TS_ERR_TIMEOUT',
};

const REASON_BY_HTTP: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Gone', 413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError',
  503: 'ServiceUnavailable', 504: 'Timeout',
};

export function isStatus(v: unknown): v is Status {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'Status';
}

/** Wraps a Status (from a response body or a watch ERROR event) in a StatusError. */
export function statusErrorFromStatus(status: Status, httpCode?: number): StatusError {
  const code = typeof status.code === 'number' && status.code > 0 ? status.code : httpCode ?? 500;
  const s: Status = { ...status, kind: 'Status', apiVersion: 'v1', metadata: status.metadata ?? {}, status: status.status ?? 'Failure', code };
  const k8tsCode = (s.reason && CODE_BY_REASON[s.reason]) || `K8TS_ERR_HTTP_${code}`;
  return new StatusError(k8tsCode, s);
}

/** Builds the error for a non-2xx response from its status code and raw body text. */
export function statusErrorFromResponse(httpCode: number, bodyText: string): StatusError {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return statusErrorFromStatus(parsed, httpCode);
  const reason = REASON_BY_HTTP[httpCode];
  const text = bodyText.trim();
  const message = text
    ? `the server responded with status code ${httpCode}: ${text.length > 512 ? text.slice(0, 512) + '…' : text}`
    : `the server responded with status code ${httpCode} but did not return more information`;
  return statusErrorFromStatus(makeStatus(httpCode, reason, message), httpCode);
}

/** Maps a transport-level failure (undici / socket error) to 503 ServiceUnavailable. */
export function networkError(method: string, url: string, err: unknown): StatusError {
  const e = err as { code?: string; message?: string };
  const detail = [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
  return Errors.unavailable(`${method} ${url} failed: ${detail}`);
}
