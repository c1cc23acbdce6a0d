// Pure: zone keys and disruption states (upstream nodelifecycle ComputeZoneState and
// nodetopology.GetZoneKey). A zone is Full(y disrupted) when none of its nodes is Ready,
// PartialDisruption when more than 2 nodes and at least `unhealthyThreshold` of them are not
// Ready, else Normal.
import type { KubeObject } from '@k8ts/shared';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_REGION = 'topology.kubernetes.io/region';
/** Nodes with this label are not counted for disruption (upstream isNodeExcludedFromDisruptionChecks). */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

export function zoneKey(node: KubeObject): string {
  const l = node.metadata.labels ?? {};
  const region = l[LABEL_REGION] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l[LABEL_ZONE] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

export function computeZoneState(readyStatuses: readonly (string | undefined)[], unhealthyThreshold: number): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) if (s === 'True') ready++; else notReady++;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= unhealthyThreshold) return 'PartialDisruption';
  return 'Normal';
}
