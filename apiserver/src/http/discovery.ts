// Legacy discovery documents (/api, /apis, /api/v1, /apis/{g}/{v}) and /version, generated
// from the resource definitions. kubectl asks for aggregated discovery first but falls back
// to these when the answer's Content-Type is plain application/json.
import type { ResourceDef } from '../registry/types.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface Discovery {
  api(serverAddress: string): unknown;
  apis(): unknown;
  groupVersion(group: string, version: string): unknown | undefined;
  group(group: string): unknown | undefined;
  known(group: string, version: string): boolean;
}

export function buildDiscovery(defs: ResourceDef[]): Discovery {
  const byGV = new Map<string, ResourceDef[]>();
  for (const d of defs) {
    const k = `${d.group}/${d.version}`;
    byGV.set(k, [...(byGV.get(k) ?? []), d]);
  }
  const groups = [...new Set(defs.filter((d) => d.group).map((d) => d.group))];
  const groupDoc = (g: string) => {
    const versions = [...new Set(defs.filter((d) => d.group === g).map((d) => d.version))];
    const gvs = versions.map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
    return { name: g, versions: gvs, preferredVersion: gvs[0] };
  };
  const resourceList = (group: string, version: string) => {
    const list = byGV.get(`${group}/${version}`);
    if (!list) return undefined;
    const resources: unknown[] = [];
    for (const d of list) {
      const main: Record<string, unknown> = {
        name: d.plural, singularName: d.singular, namespaced: d.namespaced, kind: d.kind,
        verbs: d.verbs ?? ALL_VERBS,
      };
      if (d.shortNames?.length) main.shortNames = d.shortNames;
      if (d.categories?.length) main.categories = d.categories;
      main.storageVersionHash = Buffer.from(`${group}/${version}/${d.kind}`).toString('base64').slice(0, 11);
      resources.push(main);
      if (d.statusStrategy) resources.push({ name: `${d.plural}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
      if (d.scale) resources.push({ name: `${d.plural}/scale`, singularName: '', namespaced: d.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
      for (const sub of d.extraSubresources ?? []) {
        const s = SUBRESOURCES[sub];
        if (s) resources.push({ name: `${d.plural}/${sub}`, singularName: '', namespaced: d.namespaced, kind: s.kind, verbs: s.verbs });
      }
      if (d.kind === 'Namespace') resources.push({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  };
  return {
    api: (serverAddress) => ({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }),
    apis: () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDoc) }),
    groupVersion: resourceList,
    group: (g) => (groups.includes(g) ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) } : undefined),
    known: (g, v) => byGV.has(`${g}/${v}`),
  };
}

const SUBRESOURCES: Record<string, { kind: string; verbs: string[] }> = {
  binding: { kind: 'Binding', verbs: ['create'] },
  log: { kind: 'Pod', verbs: ['get'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  eviction: { kind: 'Eviction', verbs: ['create'] },
  proxy: { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

export const SERVER_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.9',
  gitCommit: 'k8ts',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
