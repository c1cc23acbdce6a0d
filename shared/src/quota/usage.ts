// What a quota's status should say (upstream quota controller's CalculateUsage): status.hard
// is spec.hard, status.used sums the usage of every object of the namespace that the quota
// tracks, masked to the hard resource names, with an explicit 0 for each tracked resource
// nothing consumes (admission refuses to charge a quota whose used lacks a hard resource).
import type { KubeObject } from '../api/meta.js';
import { evaluatorFor, matchesQuotaScopes, resourceForQuotaName } from './evaluators.js';
import { addResources, maskResources, parseResourceList, quantityOf, type ResourceList } from './resource-list.js';

/** The resources (plural[.group]) whose objects a quota's hard names need counted. */
export function resourcesTrackedBy(quota: KubeObject): string[] {
  const set = new Set<string>();
  for (const name of Object.keys(parseResourceList(quota.spec?.hard))) {
    const r = resourceForQuotaName(name);
    if (r) set.add(r);
  }
  return [...set].sort();
}

/**
 * `objectsOf(resource)` gives the namespace's objects of a resource (undefined when that
 * resource is unknown to the caller: its names then count 0).
 */
export function calculateQuotaUsage(quota: KubeObject, objectsOf: (resource: string) => KubeObject[] | undefined, now: number): { hard: ResourceList; used: ResourceList } {
  const hard = parseResourceList(quota.spec?.hard);
  const names = Object.keys(hard);
  let used: ResourceList = {};
  for (const n of names) used[n] = quantityOf(0);
  const byResource = new Map<string, string[]>();
  for (const n of names) {
    const r = resourceForQuotaName(n);
    if (!r) continue;
    byResource.set(r, [...(byResource.get(r) ?? []), n]);
  }
  for (const [resource, wanted] of byResource) {
    const ev = evaluatorFor(resource);
    const matched = ev.matchingResources(wanted);
    if (!matched.length) continue;
    for (const obj of objectsOf(resource) ?? []) {
      if (!matchesQuotaScopes(ev, quota, obj)) continue;
      used = addResources(used, maskResources(ev.usage(obj, now), matched));
    }
  }
  return { hard, used: maskResources(used, names) };
}
