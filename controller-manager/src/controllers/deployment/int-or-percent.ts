// maxSurge / maxUnavailable resolution (upstream intstr.GetScaledValueFromIntOrPercent and
// deployment util ResolveFenceposts / MaxSurge / MaxUnavailable).
// Contract: percentages are "N%" strings scaled against the desired replicas; surge rounds up,
// unavailable rounds down; if both resolve to 0, unavailable becomes 1 (surge may be blocked by
// quota). A value that is neither an integer nor "N%" throws (the API validation rejects it, so
// only a hand-written object can get here; the controller turns that into a Warning event).
import type { Deployment, IntOrString } from './types.js';

export function scaledValue(v: IntOrString | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage: ${JSON.stringify(v)}`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export const desiredReplicas = (d: Deployment): number => d.spec.replicas ?? 1;

export const isRollingUpdate = (d: Deployment): boolean => d.spec.strategy?.type === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const unavailable = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desired)[1];
  return Math.min(unavailable, desired);
}
