// Checks shared by the pod controllers (replication controllers, replica sets, deployments):
// replica counts, the template (restartPolicy Always, no activeDeadlineSeconds) and the
// selector/template label agreement.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asRecord, child, isSet, nonNegative } from './field-path.js';
import { validatePodTemplateSpec } from './pod-spec-validation.js';
import { validateObjectMetaUpdate } from './object-meta-validation.js';
import { deepEqual } from './strategy-helpers.js';

export const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

export function validateNonNegativeFields(obj: Record<string, any>, fields: string[], path: string): FieldError[] {
  return fields.flatMap((f) => nonNegative(obj[f], child(path, f)));
}

/**
 * A controller's pod template at `field`: everything validatePodTemplateSpec checks, plus
 * `matches(templateLabels)` (the selector must select the pods it creates), restartPolicy
 * Always and no activeDeadlineSeconds.
 */
export function validateControllerTemplate(
  template: unknown, field: string, matches: (labels: Record<string, string>) => boolean, kindName: string,
): FieldError[] {
  if (!isSet(template)) return [FieldErrors.required(field)];
  const t = asRecord(template);
  const labels = asRecord(asRecord(t.metadata).labels) as Record<string, string>;
  const errs: FieldError[] = [];
  if (!matches(labels)) errs.push(FieldErrors.invalid(child(field, 'metadata', 'labels'), labels, SELECTOR_MISMATCH));
  errs.push(...validatePodTemplateSpec(template, field));
  const spec = asRecord(t.spec);
  if (isSet(spec.restartPolicy) && spec.restartPolicy !== '' && spec.restartPolicy !== 'Always') {
    errs.push(FieldErrors.notSupported(child(field, 'spec', 'restartPolicy'), spec.restartPolicy, ['Always']));
  }
  if (isSet(spec.activeDeadlineSeconds)) {
    errs.push(FieldErrors.forbidden(child(field, 'spec', 'activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindName} is not Supported`));
  }
  return errs;
}

/** status counters ≥ 0 and ready/available ≤ replicas (ValidateReplicaSetStatus & co). */
export function validateReplicaStatus(status: unknown, counters: string[]): FieldError[] {
  const s = asRecord(status);
  const errs = validateNonNegativeFields(s, [...counters, 'observedGeneration'], 'status');
  for (const f of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas']) {
    if (counters.includes(f) && typeof s[f] === 'number' && typeof s.replicas === 'number' && s[f] > s.replicas) {
      errs.push(FieldErrors.invalid(child('status', f), s[f], 'cannot be greater than status.replicas'));
    }
  }
  if (typeof s.availableReplicas === 'number' && typeof s.readyReplicas === 'number' && s.availableReplicas > s.readyReplicas && counters.includes('readyReplicas')) {
    errs.push(FieldErrors.invalid('status.availableReplicas', s.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}

/** Update rules shared by apps/v1 controllers: metadata update rules, and spec.selector is immutable. */
export function validateImmutableSelectorUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(obj, old);
  const selector = asRecord(obj.spec).selector;
  if (!deepEqual(selector, asRecord(old.spec).selector)) errs.push(FieldErrors.invalid('spec.selector', selector ?? null, 'field is immutable'));
  return errs;
}
