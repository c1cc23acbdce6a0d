// Namespace strategies. Create: status Active, the `kubernetes` finalizer in spec.finalizers
// (upstream adds it if missing), label kubernetes.io/metadata.name = name. Update: spec
// finalizers and status are kept (they change through /finalize and /status). Delete: the
// namespace turns Terminating and stays while spec.finalizers is not empty (the namespace
// controller empties it, then removes the `kubernetes` finalizer through /finalize).
import { Errors, FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { validateFinalizerName, validateObjectMetaUpdate } from '../common/object-meta-validation.js';
import { clone, keepOldStatus, statusStrategy } from '../common/strategy-helpers.js';

export const NAME_LABEL = 'kubernetes.io/metadata.name';
const PHASES = ['Active', 'Terminating'];
const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/** SetDefaults_Namespace: the immutable name label. */
export function applyNamespaceDefaults(ns: KubeObject): void {
  if (typeof ns.metadata.name !== 'string' || ns.metadata.name === '') return;
  ns.metadata.labels = { ...asRecord(ns.metadata.labels), [NAME_LABEL]: ns.metadata.name };
}

export function validateNamespace(ns: KubeObject): FieldError[] {
  return asArray(asRecord(ns.spec).finalizers).flatMap((f) => validateFinalizerName(String(f), 'spec.finalizers'));
}

function validateNamespaceStatus(ns: KubeObject): FieldError[] {
  const phase = asRecord(ns.status).phase;
  return isSet(phase) && !PHASES.includes(phase) ? [FieldErrors.notSupported('status.phase', phase, PHASES)] : [];
}

export const namespaceStrategy: Strategy = {
  prepareForCreate(ns) {
    applyNamespaceDefaults(ns);
    const spec = isSet(ns.spec) && typeof ns.spec === 'object' ? ns.spec : (ns.spec = {});
    const finalizers = asArray<string>(spec.finalizers);
    spec.finalizers = finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'];
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(ns, old) {
    applyNamespaceDefaults(ns);
    const oldFinalizers = asRecord(old.spec).finalizers;
    if (oldFinalizers !== undefined) ns.spec = { ...asRecord(ns.spec), finalizers: clone(oldFinalizers) };
    else if (isSet(ns.spec) && typeof ns.spec === 'object') delete ns.spec.finalizers;
    keepOldStatus(ns, old);
  },
  validate: validateNamespace,
  validateUpdate: validateObjectMetaUpdate,
  beginTermination(ns) {
    // upstream's NamespaceLifecycle admission: these namespaces can never be deleted
    if (!ns.metadata.deletionTimestamp && IMMORTAL_NAMESPACES.includes(ns.metadata.name ?? '')) {
      throw Errors.forbidden(`namespaces "${ns.metadata.name}" is forbidden: this namespace may not be deleted`, { name: ns.metadata.name, kind: 'namespaces' });
    }
    ns.status = { ...asRecord(ns.status), phase: 'Terminating' };
    return asArray(asRecord(ns.spec).finalizers).length > 0;
  },
};

export const namespaceStatusStrategy: Strategy = statusStrategy((ns) => validateNamespaceStatus(ns));
