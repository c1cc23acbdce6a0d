// Event strategy (core/v1 events, upstream legacyValidateEvent). Old-style events (no
// eventTime) must be in their involved object's namespace; new-style ones need
// reportingComponent, reportingInstance, action and reason. PUT creates missing events.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asRecord, isSet } from '../common/field-path.js';
import { isQualifiedName } from '../common/name-validation.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';

const REPORTING_INSTANCE_MAX = 128;
const ACTION_MAX = 128;
const REASON_MAX = 128;
const NOTE_MAX = 1024;

export function validateEvent(ev: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = String(asRecord(ev.involvedObject).namespace ?? '');
  const ns = ev.metadata.namespace ?? '';
  const mismatch = (): FieldError => FieldErrors.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!isSet(ev.eventTime) || ev.eventTime === '') {
    if (involvedNs === '') {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) {
      errs.push(mismatch());
    }
    return errs;
  }
  if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
  const rc = String(ev.reportingComponent ?? '');
  if (rc === '') errs.push(FieldErrors.required('reportingComponent'));
  else for (const m of isQualifiedName(rc)) errs.push(FieldErrors.invalid('reportingComponent', rc, m));
  const ri = String(ev.reportingInstance ?? '');
  if (ri === '') errs.push(FieldErrors.required('reportingInstance'));
  else if (ri.length > REPORTING_INSTANCE_MAX) errs.push(FieldErrors.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_MAX} characters`));
  const action = String(ev.action ?? '');
  if (action === '') errs.push(FieldErrors.required('action'));
  else if (action.length > ACTION_MAX) errs.push(FieldErrors.invalid('action', '', `can have at most ${ACTION_MAX} characters`));
  const reason = String(ev.reason ?? '');
  if (reason === '') errs.push(FieldErrors.required('reason'));
  else if (reason.length > REASON_MAX) errs.push(FieldErrors.invalid('reason', '', `can have at most ${REASON_MAX} characters`));
  if (String(ev.message ?? '').length > NOTE_MAX) errs.push(FieldErrors.invalid('message', '', `can have at most ${NOTE_MAX} characters`));
  return errs;
}

export const eventStrategy: Strategy = {
  validate: validateEvent,
  validateUpdate: validateObjectMetaUpdate,
  allowCreateOnUpdate: true,
  specChanged: () => false,
};
