// Deployment strategies: defaults (SetDefaults_Deployment), status reset on create, stored
// status kept on update, and generation bumps on spec or annotation changes (annotations
// are copied to the ReplicaSets, so upstream counts them as desired state).
import type { KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { isSet } from '../common/field-path.js';
import { applyPodTemplateDefaults } from '../common/pod-spec-defaults.js';
import { deepEqual, keepOldStatus, resetStatus, statusStrategy } from '../common/strategy-helpers.js';
import { validateDeployment, validateDeploymentStatus, validateDeploymentUpdate } from './validation.js';

type Rec = Record<string, any>;

export function applyDeploymentDefaults(obj: KubeObject): void {
  if (!isSet(obj.spec) || typeof obj.spec !== 'object') return;
  const spec = obj.spec as Rec;
  if (!isSet(spec.replicas)) spec.replicas = 1;
  if (!isSet(spec.strategy) || typeof spec.strategy !== 'object') spec.strategy = {};
  if (!isSet(spec.strategy.type) || spec.strategy.type === '') spec.strategy.type = 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    if (!isSet(spec.strategy.rollingUpdate) || typeof spec.strategy.rollingUpdate !== 'object') spec.strategy.rollingUpdate = {};
    const ru = spec.strategy.rollingUpdate as Rec;
    if (!isSet(ru.maxUnavailable)) ru.maxUnavailable = '25%';
    if (!isSet(ru.maxSurge)) ru.maxSurge = '25%';
  }
  if (!isSet(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (!isSet(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  applyPodTemplateDefaults(spec.template);
}

export const deploymentStrategy: Strategy = {
  prepareForCreate(obj) {
    applyDeploymentDefaults(obj);
    resetStatus(obj);
  },
  prepareForUpdate(obj, old) {
    applyDeploymentDefaults(obj);
    keepOldStatus(obj, old);
  },
  validate: validateDeployment,
  validateUpdate: validateDeploymentUpdate,
  specChanged(obj, old) {
    return !deepEqual(obj.spec, old.spec) || !deepEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {});
  },
};

const baseStatusStrategy = statusStrategy((obj) => validateDeploymentStatus(obj));

/**
 * /status takes the status and, as upstream (whose status strategy resets only spec and
 * labels), the annotations: the deployment controller records deployment.kubernetes.io/revision
 * through /status so that it does not bump the generation. A request without annotations keeps
 * the stored ones.
 */
export const deploymentStatusStrategy: Strategy = {
  ...baseStatusStrategy,
  prepareForUpdate(obj, old, ctx) {
    const annotations = obj.metadata?.annotations;
    baseStatusStrategy.prepareForUpdate!(obj, old, ctx);
    if (annotations && typeof annotations === 'object') obj.metadata.annotations = structuredClone(annotations);
  },
};
