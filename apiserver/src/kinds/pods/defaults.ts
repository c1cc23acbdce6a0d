// Defaults only pods get (not pod templates): SetDefaults_Pod (enableServiceLinks, requests
// copied from limits) and, on create, what upstream's admission plugins add:
// DefaultTolerationSeconds (not-ready / unreachable NoExecute tolerations for 300s),
// ServiceAccount (serviceAccountName "default") and Priority (priority 0, preemption policy).
import type { KubeObject } from '@k8ts/shared';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { applyPodSpecDefaults } from '../common/pod-spec-defaults.js';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

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

function tolerates(tolerations: Rec[], taintKey: string): boolean {
  return tolerations.some((t) => (t.key === taintKey || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/** Admission-time additions on create only. */
export function applyPodAdmissionDefaults(pod: KubeObject): void {
  if (!isSet(pod.spec) || typeof pod.spec !== 'object') return;
  const spec = pod.spec as Rec;
  const tolerations = asArray<Rec>(spec.tolerations).map(asRecord);
  const added: Rec[] = [];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!tolerates(tolerations, key)) {
      added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
  }
  if (added.length) spec.tolerations = [...asArray(spec.tolerations), ...added];
  if (!isSet(spec.serviceAccountName) || spec.serviceAccountName === '') {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  if (!isSet(spec.priority) && (!isSet(spec.priorityClassName) || spec.priorityClassName === '')) spec.priority = 0;
  if (!isSet(spec.preemptionPolicy) || spec.preemptionPolicy === '') spec.preemptionPolicy = 'PreemptLowerPriority';
}
