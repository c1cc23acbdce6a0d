// Lease strategy (upstream ValidateLease): leaseDurationSeconds > 0, leaseTransitions ≥ 0,
// preferredHolder only together with strategy.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asRecord, isSet, nonNegative } from '../common/field-path.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';

export function validateLease(lease: KubeObject): FieldError[] {
  const spec = asRecord(lease.spec);
  const errs: FieldError[] = [];
  if (isSet(spec.leaseDurationSeconds) && spec.leaseDurationSeconds <= 0) {
    errs.push(FieldErrors.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  errs.push(...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (isSet(spec.preferredHolder) && spec.preferredHolder !== '' && (!isSet(spec.strategy) || spec.strategy === '')) {
    errs.push(FieldErrors.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export const leaseStrategy: Strategy = {
  validate: validateLease,
  validateUpdate: validateObjectMetaUpdate,
};
