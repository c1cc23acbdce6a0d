// Every namespaced resource that can be listed and deleted (upstream's
// ServerPreferredNamespacedResources filtered to the `list` and `delete` verbs), from
// common/api-discovery.ts (preferred versions only, subresources skipped, partial failures
// reported per group version).
import type { ApiClient, ResourceRef } from '@k8ts/shared';
import { discoverResources } from '../common/api-discovery.js';

export interface NamespacedResource {
  ref: ResourceRef;
  verbs: string[];
}

export interface DiscoveryResult {
  resources: NamespacedResource[];
  /** groupVersion → error message, for group versions whose document could not be read. */
  failures: Map<string, string>;
}

export async function discoverNamespacedResources(client: Pick<ApiClient, 'request'>, signal?: AbortSignal): Promise<DiscoveryResult> {
  const { resources, failures } = await discoverResources(client, signal);
  return {
    resources: resources.filter((r) => r.ref.namespaced && r.verbs.includes('list') && r.verbs.includes('delete')),
    failures,
  };
}
