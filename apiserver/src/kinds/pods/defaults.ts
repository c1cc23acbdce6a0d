// Defaults only pods get (not pod templates): SetDefaults_Pod (enableServiceLinks, requests
// copied from limits) and, on create, what upstream's admission plugins add:
// ServiceAccount (serviceAccountName "default") and Priority (priority 0, preemption policy).
// (DefaultTolerationSeconds is a real admission plugin: src/admission/.)
import type { KubeObject } from '@k8ts/shared';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { applyPodSpecDefaults } from '../common/pod-spec-defaults.js';

type Rec = Record<string, any>;

/** Defaults applied on every write (create and update). */
export function applyPodDefaults(pod: KubeObject): void {
  if (!isSet(pod.spec) || typeof pod.spec !== 'object') return;
  const spec = pod.spec as Rec;
  applyPodSpecDefaults(spec);
  if (!isSet(spec.enableServiceLinks)) spec.enableServiceLinks = true;
  for (const c of [...asArray(spec.initContainers), ...asArray(spec.containers)]) {
    const res = asRecord(asRecord(c).resources);
    const limits = asRecord(res.limits);
    if (Object.keys(limits).length === 0) continue;
    const requests: Rec = isSet(res.requests) && typeof res.requests === 'object' ? res.requests : {};
    for (const [name, q] of Object.entries(limits)) if (!isSet(requests[name])) requests[name] = q;
    (c as Rec).resources.requests = requests;
  }
}

/** Admission-time additions on create only. */
export function applyPodAdmissionDefaults(pod: KubeObject): void {
  if (!isSet(pod.spec) || typeof pod.spec !== 'object') return;
  const spec = pod.spec as Rec;
  if (!isSet(spec.serviceAccountName) || spec.serviceAccountName === '') {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  if (!isSet(spec.priority) && (!isSet(spec.priorityClassName) || spec.priorityClassName === '')) spec.priority = 0;
  if (!isSet(spec.preemptionPolicy) || spec.preemptionPolicy === '') spec.preemptionPolicy = 'PreemptLowerPriority';
}
