// ReplicaSet strategies: replicas defaults to 1, template defaults as pods; status reset on
// create and kept on update; /status takes only status.
import type { KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { isSet } from '../common/field-path.js';
import { applyPodTemplateDefaults } from '../common/pod-spec-defaults.js';
import { keepOldStatus, resetStatus, statusStrategy } from '../common/strategy-helpers.js';
import { validateReplicaSet, validateReplicaSetStatus, validateReplicaSetUpdate } from './validation.js';

export function applyReplicaSetDefaults(obj: KubeObject): void {
  if (!isSet(obj.spec) || typeof obj.spec !== 'object') return;
  if (!isSet(obj.spec.replicas)) obj.spec.replicas = 1;
  applyPodTemplateDefaults(obj.spec.template);
}

export const replicaSetStrategy: Strategy = {
  prepareForCreate(obj) {
    applyReplicaSetDefaults(obj);
    resetStatus(obj, { replicas: 0 });
  },
  prepareForUpdate(obj, old) {
    applyReplicaSetDefaults(obj);
    keepOldStatus(obj, old);
  },
  validate: validateReplicaSet,
  validateUpdate: validateReplicaSetUpdate,
};

export const replicaSetStatusStrategy: Strategy = statusStrategy((obj) => validateReplicaSetStatus(obj));
