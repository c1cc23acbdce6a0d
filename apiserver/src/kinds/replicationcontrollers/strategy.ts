// ReplicationController strategies. Defaults (SetDefaults_ReplicationController): an empty
// selector becomes the template's labels, empty metadata.labels too, replicas 1, template
// defaults as pods.
import type { KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asRecord, isSet } from '../common/field-path.js';
import { applyPodTemplateDefaults } from '../common/pod-spec-defaults.js';
import { clone, keepOldStatus, resetStatus, statusStrategy } from '../common/strategy-helpers.js';
import {
  validateReplicationController, validateReplicationControllerStatus, validateReplicationControllerUpdate,
} from './validation.js';

export function applyReplicationControllerDefaults(obj: KubeObject): void {
  if (!isSet(obj.spec) || typeof obj.spec !== 'object') return;
  const spec = obj.spec;
  const templateLabels = asRecord(asRecord(spec.template).metadata).labels;
  if (isSet(templateLabels) && typeof templateLabels === 'object') {
    if (Object.keys(asRecord(spec.selector)).length === 0) spec.selector = clone(templateLabels);
    if (Object.keys(asRecord(obj.metadata.labels)).length === 0) obj.metadata.labels = clone(templateLabels);
  }
  if (!isSet(spec.replicas)) spec.replicas = 1;
  applyPodTemplateDefaults(spec.template);
}

export const replicationControllerStrategy: Strategy = {
  prepareForCreate(obj) {
    applyReplicationControllerDefaults(obj);
    resetStatus(obj, { replicas: 0 });
  },
  prepareForUpdate(obj, old) {
    applyReplicationControllerDefaults(obj);
    keepOldStatus(obj, old);
  },
  validate: validateReplicationController,
  validateUpdate: validateReplicationControllerUpdate,
};

export const replicationControllerStatusStrategy: Strategy = statusStrategy((obj) => validateReplicationControllerStatus(obj));
