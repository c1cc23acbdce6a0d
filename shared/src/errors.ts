// The typed error catalogue. Every failure that crosses an API boundary is a StatusError,
// which carries an upstream-compatible metav1.Status (reason + code) and a stable k8ts code
// (K8TS_ERR_*) for logs and tests. Components never throw bare strings across modules.
import type { Status, StatusCause, StatusDetails } from './api/meta.js';

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'MethodNotAllowed'
  | 'NotAcceptable' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Expired'
  | 'RequestEntityTooLarge' | 'UnsupportedMediaType' | 'Invalid' | 'TooManyRequests'
  | 'InternalError' | 'ServiceUnavailable' | 'Timeout' | 'ServerTimeout';

export class StatusError extends Error {
  readonly code: string;
  readonly status: Status;
  constructor(code: string, status: Status) {
    super(status.message ?? status.reason ?? code);
    this.name = 'StatusError';
    this.code = code;
    this.status = status;
  }
  get httpCode(): number { return this.status.code; }
  get reason(): string | undefined { return this.status.reason; }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function makeStatus(code: number, reason: StatusReason | undefined, message: string, details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  return s;
}

function err(code: string, http: number, reason: StatusReason | undefined, message: string, details?: StatusDetails): StatusError {
  return new StatusError(code, makeStatus(http, reason, message, details));
}

/** `resource` is the plural with group when not core, as upstream prints it: `deployments.apps`. */
export const Errors = {
  notFound: (resource: string, name: string) =>
    err('K8TS_ERR_NOT_FOUND', 404, 'NotFound', `${resource} "${name}" not found`, { name, kind: kindOf(resource), ...groupOf(resource) }),
  resourceNotFound: (message: string) => err('K8TS_ERR_NOT_FOUND', 404, 'NotFound', message),
  alreadyExists: (resource: string, name: string) =>
    err('K8TS_ERR_ALREADY_EXISTS', 409, 'AlreadyExists', `${resource} "${name}" already exists`, { name, kind: kindOf(resource), ...groupOf(resource) }),
  conflict: (resource: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    err('K8TS_ERR_CONFLICT', 409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, { name, kind: kindOf(resource), ...groupOf(resource) }),
  invalid: (kind: string, name: string, causes: StatusCause[], group?: string) =>
    err('K8TS_ERR_INVALID', 422, 'Invalid',
      `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${causes.map((c) => `${c.field ? c.field + ': ' : ''}${c.message}`).join(', ')}`,
      { name, kind, ...(group ? { group } : {}), causes }),
  badRequest: (message: string, causes?: StatusCause[]) =>
    err('K8TS_ERR_BAD_REQUEST', 400, 'BadRequest', message, causes ? { causes } : undefined),
  unauthorized: (message = 'Unauthorized') => err('K8TS_ERR_UNAUTHORIZED', 401, 'Unauthorized', message),
  forbidden: (message: string, details?: StatusDetails) => err('K8TS_ERR_FORBIDDEN', 403, 'Forbidden', message, details),
  methodNotAllowed: (message = 'the server does not allow this method on the requested resource') =>
    err('K8TS_ERR_METHOD_NOT_ALLOWED', 405, 'MethodNotAllowed', message),
  notAcceptable: (message: string) => err('K8TS_ERR_NOT_ACCEPTABLE', 406, 'NotAcceptable', message),
  expired: (message: string) => err('K8TS_ERR_EXPIRED', 410, 'Expired', message),
  gone: (message: string) => err('K8TS_ERR_GONE', 410, 'Gone', message),
  tooLarge: (message = 'Request entity too large: limit is 3145728') =>
    err('K8TS_ERR_TOO_LARGE', 413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (contentType: string) =>
    err('K8TS_ERR_UNSUPPORTED_MEDIA_TYPE', 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`),
  tooManyRequests: (message: string, retryAfterSeconds = 1) =>
    err('K8TS_ERR_TOO_MANY_REQUESTS', 429, 'TooManyRequests', message, { retryAfterSeconds }),
  internal: (message: string) => err('K8TS_ERR_INTERNAL', 500, 'InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => err('K8TS_ERR_UNAVAILABLE', 503, 'ServiceUnavailable', message),
  timeout: (message: string) => err('K8TS_ERR_TIMEOUT', 504, 'Timeout', message),
} as const;

function kindOf(resource: string): string { return resource.split('.')[0]!; }
function groupOf(resource: string): { group?: string } {
  const i = resource.indexOf('.');
  return i > 0 ? { group: resource.slice(i + 1) } : {};
}

/** A field error as returned by validation; the store turns a non-empty list into 422 Invalid. */
export interface FieldError {
  field: string;
  /** upstream cause reasons: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong */
  reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid';
  message: string;
}

export const FieldErrors = {
  required: (field: string, detail = ''): FieldError => ({ field, reason: 'FieldValueRequired', message: `Required value${detail ? ': ' + detail : ''}` }),
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}` }),
  notSupported: (field: string, value: unknown, allowed: string[]): FieldError => ({ field, reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` }),
  duplicate: (field: string, value: unknown): FieldError => ({ field, reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}` }),
  forbidden: (field: string, detail: string): FieldError => ({ field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` }),
  tooLong: (field: string, max: number): FieldError => ({ field, reason: 'FieldValueTooLong', message: `Too long: must have at most ${max} bytes` }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => ({ field, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}` }),
} as const;
