// Discovery of every namespaced resource that can be listed and deleted (upstream's
// ServerPreferredNamespacedResources filtered to the `list` and `delete` verbs), through the
// legacy discovery documents: GET /api/v1, GET /apis, GET /apis/{group}/{preferredVersion}.
//
// Contract:
// - Subresources (`pods/status`, names containing '/') and cluster-scoped resources are skipped.
// - Only each group's preferred version is used, so one resource is never deleted twice
//   through two versions.
// - A group version that fails is reported in `failures` (the others are still returned),
//   as upstream's partial discovery error; a failure of /apis or /api/v1 themselves throws.
import type { ApiClient, ResourceRef } from '@k8ts/shared';

export interface NamespacedResource {
  ref: ResourceRef;
  verbs: string[];
}

export interface DiscoveryResult {
  resources: NamespacedResource[];
  /** groupVersion → error message, for group versions whose document could not be read. */
  failures: Map<string, string>;
}

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}
interface APIResourceList { groupVersion?: string; resources?: APIResource[] }
interface APIGroupList { groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[] }

export async function discoverNamespacedResources(client: Pick<ApiClient, 'request'>, signal?: AbortSignal): Promise<DiscoveryResult> {
  const failures = new Map<string, string>();
  const [core, groups] = await Promise.all([
    client.request<APIResourceList>('GET', '/api/v1', undefined, { signal }),
    client.request<APIGroupList>('GET', '/apis', undefined, { signal }),
  ]);
  const resources = deletable('', 'v1', core);
  const gvs = (groups.groups ?? []).flatMap((g) => {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    return version ? [{ group: g.name, version }] : [];
  });
  const docs = await Promise.all(gvs.map(async ({ group, version }) => {
    try {
      return deletable(group, version, await client.request<APIResourceList>('GET', `/apis/${group}/${version}`, undefined, { signal }));
    } catch (e) {
      if (signal?.aborted) throw e;
      failures.set(`${group}/${version}`, (e as Error).message);
      return [];
    }
  }));
  for (const d of docs) resources.push(...d);
  return { resources, failures };
}

function deletable(group: string, version: string, doc: APIResourceList): NamespacedResource[] {
  const out: NamespacedResource[] = [];
  for (const r of doc.resources ?? []) {
    if (!r.namespaced || r.name.includes('/')) continue;
    const verbs = r.verbs ?? [];
    if (!verbs.includes('list') || !verbs.includes('delete')) continue;
    out.push({ ref: { group, version, plural: r.name, namespaced: true, kind: r.kind }, verbs });
  }
  return out;
}
