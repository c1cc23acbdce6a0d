// The pod's QoS class (upstream ComputePodQOS): Guaranteed when every container sets cpu
// and memory limits equal to its requests, BestEffort when no container sets any, else
// Burstable. Only cpu and memory count; init containers count, ephemeral ones do not.
import type { KubeObject } from '@k8ts/shared';
import { asArray, asRecord } from '../common/field-path.js';
import { parseQuantity } from '../common/quantity.js';

const QOS_RESOURCES = ['cpu', 'memory'];

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function computeQOSClass(pod: KubeObject): QOSClass {
  const spec = asRecord(pod.spec);
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  let guaranteed = true;
  for (const c of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
    const res = asRecord(asRecord(c).resources);
    for (const [name, q] of Object.entries(asRecord(res.requests))) {
      const v = parseQuantity(q);
      if (QOS_RESOURCES.includes(name) && v !== undefined && v > 0) requests[name] = (requests[name] ?? 0) + v;
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(asRecord(res.limits))) {
      const v = parseQuantity(q);
      if (QOS_RESOURCES.includes(name) && v !== undefined && v > 0) {
        found.add(name);
        limits[name] = (limits[name] ?? 0) + v;
      }
    }
    if (!QOS_RESOURCES.every((r) => found.has(r))) guaranteed = false;
  }
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of Object.entries(requests)) {
      if (limits[name] === undefined || limits[name] !== req) { guaranteed = false; break; }
    }
  }
  return guaranteed && Object.keys(requests).length === Object.keys(limits).length ? 'Guaranteed' : 'Burstable';
}
