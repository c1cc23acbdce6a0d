// Discovery of the resources the apiserver serves (upstream ServerPreferredResources), through
// the legacy discovery documents: GET /api/v1, GET /apis, GET /apis/{group}/{preferredVersion}.
//
// Contract:
// - Subresources (`pods/status`, names containing '/') are skipped.
// - Only each group's preferred version is used, so one resource never appears twice.
// - A group version that fails is reported in `failures` (the others are still returned), as
//   upstream's partial discovery error; a failure of /apis or /api/v1 themselves throws.
import type { ApiClient, ResourceRef } from '@k8ts/shared';

export interface DiscoveredResource {
  /** kind is always set. */
  ref: ResourceRef & { kind: string };
  verbs: string[];
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** groupVersion → error message, for group versions whose document could not be read. */
  failures: Map<string, string>;
}

interface APIResource { name: string; namespaced: boolean; kind: string; verbs?: string[] }
interface APIResourceList { groupVersion?: string; resources?: APIResource[] }
interface APIGroupList { groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[] }

export async function discoverResources(client: Pick<ApiClient, 'request'>, signal?: AbortSignal): Promise<DiscoveryResult> {
  const failures = new Map<string, string>();
  const [core, groups] = await Promise.all([
    client.request<APIResourceList>('GET', '/api/v1', undefined, { signal }),
    client.request<APIGroupList>('GET', '/apis', undefined, { signal }),
  ]);
  const resources = fromList('', 'v1', core);
  const gvs = (groups.groups ?? []).flatMap((g) => {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    return version ? [{ group: g.name, version }] : [];
  });
  const docs = await Promise.all(gvs.map(async ({ group, version }) => {
    try {
      return fromList(group, version, await client.request<APIResourceList>('GET', `/apis/${group}/${version}`, undefined, { signal }));
    } catch (e) {
      if (signal?.aborted) throw e;
      failures.set(`${group}/${version}`, (e as Error).message);
      return [];
    }
  }));
  for (const d of docs) resources.push(...d);
  return { resources, failures };
}

function fromList(group: string, version: string, doc: APIResourceList): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  for (const r of doc.resources ?? []) {
    if (r.name.includes('/')) continue;
    out.push({ ref: { group, version, plural: r.name, namespaced: r.namespaced, kind: r.kind }, verbs: r.verbs ?? [] });
  }
  return out;
}
