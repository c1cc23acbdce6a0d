// Objects every cluster has, ensured at each start (idempotent; existing ones are kept):
// the default, kube-system, kube-public and kube-node-lease namespaces, and the
// `kubernetes` Service in default (first address of the service CIDR, port 443) with its
// Endpoints pointing at this apiserver.
import type { KubeObject } from '@k8ts/shared';
import type { GenericStore } from './storage/store.js';
import { firstServiceIP } from './kinds/index.js';

export interface BootstrapDeps {
  namespaces: GenericStore;
  services: GenericStore;
  endpoints: GenericStore;
  serviceCIDR: string;
  advertiseAddress: string;
  port: number;
}

async function ensure(store: GenericStore, ns: string | undefined, obj: KubeObject): Promise<void> {
  if (await store.tryGet(ns, obj.metadata.name!)) return;
  try {
    await store.create(ns, obj);
  } catch (e) {
    if ((e as { status?: { reason?: string } }).status?.reason !== 'AlreadyExists') throw e;
  }
}

export async function bootstrap(d: BootstrapDeps): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await ensure(d.namespaces, undefined, { metadata: { name } });
  }
  await ensure(d.services, 'default', {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: firstServiceIP(d.serviceCIDR), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: d.port }], sessionAffinity: 'None' },
  });
  const ep: KubeObject = {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: d.advertiseAddress }], ports: [{ name: 'https', port: d.port, protocol: 'TCP' }] }],
  };
  const cur = await d.endpoints.tryGet('default', 'kubernetes');
  if (!cur) await ensure(d.endpoints, 'default', ep);
  else if (JSON.stringify(cur.subsets) !== JSON.stringify(ep.subsets)) await d.endpoints.update('default', 'kubernetes', { ...cur, subsets: ep.subsets });
}
