// ReplicaSet validation (upstream ValidateReplicaSet / ValidateReplicaSetUpdate, apps/v1:
// the selector is immutable).
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asRecord, isSet } from '../common/field-path.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validateControllerTemplate, validateImmutableSelectorUpdate, validateNonNegativeFields, validateReplicaStatus } from '../common/workload-validation.js';

export function validateReplicaSetSpec(spec: unknown): FieldError[] {
  const s = asRecord(spec);
  const errs = validateNonNegativeFields(s, ['replicas', 'minReadySeconds'], 'spec');
  if (!isSet(s.selector)) {
    errs.push(FieldErrors.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (isEmptySelector(s.selector)) errs.push(FieldErrors.invalid('spec.selector', s.selector, 'empty selector is invalid for deployment'));
  }
  const matches = (labels: Record<string, string>): boolean =>
    isSet(s.selector) && (isEmptySelector(s.selector) || selectorMatches(s.selector, labels));
  errs.push(...validateControllerTemplate(s.template, 'spec.template', matches, 'ReplicaSet'));
  return errs;
}

export function validateReplicaSet(obj: KubeObject): FieldError[] {
  return validateReplicaSetSpec(obj.spec);
}

/** Update-only rules (the store runs validateReplicaSet as well): apps/v1 selectors are immutable. */
export function validateReplicaSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableSelectorUpdate(obj, old);
}

export function validateReplicaSetStatus(obj: KubeObject): FieldError[] {
  return validateReplicaStatus(obj.status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas']);
}
