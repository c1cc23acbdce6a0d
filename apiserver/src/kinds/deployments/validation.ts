// Deployment validation (upstream ValidateDeployment / ValidateDeploymentUpdate).
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asRecord, child, isSet } from '../common/field-path.js';
import { intOrPercentValue, validateNotMoreThan100Percent, validatePositiveIntOrPercent } from '../common/int-or-percent.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validateControllerTemplate, validateImmutableSelectorUpdate, validateNonNegativeFields, validateReplicaStatus } from '../common/workload-validation.js';

const STRATEGY_TYPES = ['Recreate', 'RollingUpdate'];

function validateStrategy(strategy: unknown, field: string): FieldError[] {
  const s = asRecord(strategy);
  switch (s.type) {
    case 'Recreate':
      return isSet(s.rollingUpdate) ? [FieldErrors.forbidden(child(field, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!isSet(s.rollingUpdate)) return [FieldErrors.required(child(field, 'rollingUpdate'), 'this should be defaulted and never be nil')];
      const ru = asRecord(s.rollingUpdate);
      const at = child(field, 'rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, child(at, 'maxUnavailable')),
        ...validatePositiveIntOrPercent(ru.maxSurge, child(at, 'maxSurge')),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(FieldErrors.invalid(child(at, 'maxUnavailable'), ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...validateNotMoreThan100Percent(ru.maxUnavailable, child(at, 'maxUnavailable')));
      return errs;
    }
    default:
      return [FieldErrors.notSupported(field, strategy ?? null, STRATEGY_TYPES)];
  }
}

export function validateDeploymentSpec(spec: unknown): FieldError[] {
  const s = asRecord(spec);
  const errs = validateNonNegativeFields(s, ['replicas', 'minReadySeconds', 'revisionHistoryLimit'], 'spec');
  if (!isSet(s.selector)) {
    errs.push(FieldErrors.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
    if (isEmptySelector(s.selector)) errs.push(FieldErrors.invalid('spec.selector', s.selector, 'empty selector is invalid for deployment'));
  }
  const matches = (labels: Record<string, string>): boolean =>
    isSet(s.selector) && (isEmptySelector(s.selector) || selectorMatches(s.selector, labels));
  errs.push(...validateControllerTemplate(s.template, 'spec.template', matches, 'ReplicaSet'));
  errs.push(...validateStrategy(s.strategy, 'spec.strategy'));
  if (isSet(s.progressDeadlineSeconds)) {
    errs.push(...validateNonNegativeFields(s, ['progressDeadlineSeconds'], 'spec'));
    if (s.progressDeadlineSeconds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0)) {
      errs.push(FieldErrors.invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateDeployment(obj: KubeObject): FieldError[] {
  return validateDeploymentSpec(obj.spec);
}

/** Update-only rules (the store runs validateDeployment as well): apps/v1 selectors are immutable. */
export function validateDeploymentUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableSelectorUpdate(obj, old);
}

export function validateDeploymentStatus(obj: KubeObject): FieldError[] {
  return validateReplicaStatus(obj.status, ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas', 'collisionCount']);
}
