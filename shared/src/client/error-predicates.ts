// Predicates over errors thrown by the client, by upstream reason / HTTP code (like
// apimachinery's errors.IsNotFound). They accept any value and are false for non-StatusErrors.
import { isStatusError } from '../errors.js';

const hasReason = (e: unknown, reason: string): boolean => isStatusError(e) && e.status.reason === reason;

export const isNotFound = (e: unknown): boolean => hasReason(e, 'NotFound');
export const isAlreadyExists = (e: unknown): boolean => hasReason(e, 'AlreadyExists');
export const isConflict = (e: unknown): boolean => hasReason(e, 'Conflict');
export const isInvalid = (e: unknown): boolean => hasReason(e, 'Invalid');
/** 410: Expired (too old resource version) or Gone. */
export const isResourceExpired = (e: unknown): boolean => isStatusError(e) && e.status.code === 410;
/** Errors worth retrying: 429, 5xx and transport failures (mapped to 503). */
export const isRetryable = (e: unknown): boolean =>
  isStatusError(e) && (e.status.code === 429 || e.status.code >= 500);
