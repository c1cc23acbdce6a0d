// ReplicationController validation (upstream ValidateReplicationController): a non-empty
// map selector that matches the template labels. The selector may change on update.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asRecord } from '../common/field-path.js';
import { mapSelectorMatches } from '../common/label-selector.js';
import { validateLabels, validateObjectMetaUpdate } from '../common/object-meta-validation.js';
import { validateControllerTemplate, validateNonNegativeFields, validateReplicaStatus } from '../common/workload-validation.js';

export function validateReplicationControllerSpec(spec: unknown): FieldError[] {
  const s = asRecord(spec);
  const errs = validateNonNegativeFields(s, ['minReadySeconds', 'replicas'], 'spec');
  const selector = asRecord(s.selector);
  const empty = Object.keys(selector).length === 0;
  if (empty) errs.push(FieldErrors.required('spec.selector'));
  errs.push(...validateLabels(selector, 'spec.selector'));
  const matches = (labels: Record<string, string>): boolean => empty || mapSelectorMatches(selector, labels);
  errs.push(...validateControllerTemplate(s.template, 'spec.template', matches, 'ReplicationController'));
  return errs;
}

export function validateReplicationController(obj: KubeObject): FieldError[] {
  return validateReplicationControllerSpec(obj.spec);
}

/** Update-only rules (the store runs validateReplicationController as well). */
export function validateReplicationControllerUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateObjectMetaUpdate(obj, old);
}

export function validateReplicationControllerStatus(obj: KubeObject): FieldError[] {
  return validateReplicaStatus(obj.status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']);
}
