// Pod strategies. Create: defaults + admission defaults, status reset to Pending with the
// QoS class. Update: defaults, the stored status kept. /status: only status is taken.
//
// Not handled here: spec.nodeName is set by the binding subresource, which must write
// without going through validateUpdate (upstream's binding bypasses pod update validation).
import { Errors, FieldErrors, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { keepOldStatus, statusStrategy } from '../common/strategy-helpers.js';
import { applyPodAdmissionDefaults, applyPodDefaults } from './defaults.js';
import { computeQOSClass } from './qos.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './validation.js';

export const podStrategy: Strategy = {
  prepareForCreate(pod: KubeObject) {
    if (Array.isArray(pod.spec?.ephemeralContainers) && pod.spec.ephemeralContainers.length > 0) {
      throw Errors.invalid('Pod', pod.metadata.name ?? '', [FieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create')]);
    }
    applyPodDefaults(pod);
    applyPodAdmissionDefaults(pod);
    pod.status = { phase: 'Pending', qosClass: computeQOSClass(pod) };
  },
  prepareForUpdate(pod: KubeObject, old: KubeObject) {
    applyPodDefaults(pod);
    keepOldStatus(pod, old);
  },
  validate: validatePod,
  validateUpdate: validatePodUpdate,
  /**
   * upstream CheckGracefulTermination: the requested period, else the pod's
   * terminationGracePeriodSeconds; 0 for pods never scheduled or already finished.
   */
  deletionGracePeriodSeconds(pod: KubeObject, requested: number | undefined) {
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    if (requested !== undefined) return requested < 0 ? 1 : requested;
    return typeof pod.spec.terminationGracePeriodSeconds === 'number' ? pod.spec.terminationGracePeriodSeconds : 30;
  },
  returnDeletedObject: true,
};

export const podStatusStrategy: Strategy = statusStrategy((pod) => validatePodStatusUpdate(pod));
