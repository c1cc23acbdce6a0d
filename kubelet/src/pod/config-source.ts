// ConfigSource over the API: direct GETs of ConfigMaps and Secrets (404 → undefined) and a
// LIST of Services, at the moment a container is configured — the kubelet's "Get" strategy
// for configMap/secret (always current, no cache to go stale). Other errors throw.
import { isStatusError, Resources, type ApiClient, type KubeObject } from '@k8ts/shared';
import type { ConfigSource } from './env.js';

export function apiConfigSource(client: Pick<ApiClient, 'get' | 'list'>): ConfigSource {
  const getOrUndefined = async (ref: typeof Resources.configmaps, ns: string, name: string): Promise<KubeObject | undefined> => {
    try {
      return await client.get(ref, ns, name);
    } catch (e) {
      if (isStatusError(e) && e.status.code === 404) return undefined;
      throw e;
    }
  };
  return {
    getConfigMap: (ns, name) => getOrUndefined(Resources.configmaps, ns, name),
    getSecret: (ns, name) => getOrUndefined(Resources.secrets, ns, name),
    listServices: async (ns) => (await client.list(Resources.services, { namespace: ns })).items ?? [],
  };
}
