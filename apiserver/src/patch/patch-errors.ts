// The two ways a patch can fail, as upstream answers them:
// - the patch document itself is malformed (not JSON, wrong shape, unknown op/directive): 400 BadRequest
// - a well-formed patch cannot be applied to this object (json-patch `test` failed, path missing): 422 Invalid
import { Errors, StatusError, makeStatus } from '@k8ts/shared';

export function malformedPatch(message: string): StatusError {
  return Errors.badRequest(message);
}

export function unprocessablePatch(message: string): StatusError {
  return new StatusError('K8TS_ERR_INVALID', makeStatus(422, 'Invalid', message));
}
