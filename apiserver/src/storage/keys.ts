// etcd key layout, as upstream: /registry/{group-qualified resource}/{namespace}/{name} for
// namespaced kinds and /registry/{resource}/{name} for cluster-scoped ones. The group is part
// of the prefix for non-core groups (/registry/deployments.apps/...) so that names never clash.
import type { ResourceDef } from '../registry/types.js';

export const REGISTRY_ROOT = '/registry/';

export function resourcePrefix(def: Pick<ResourceDef, 'group' | 'plural'>): string {
  return `${REGISTRY_ROOT}${def.group ? `${def.plural}.${def.group}` : def.plural}/`;
}

/** Prefix of all objects of the resource in a namespace (or all when namespace is undefined). */
export function listPrefix(def: Pick<ResourceDef, 'group' | 'plural' | 'namespaced'>, namespace?: string): string {
  const base = resourcePrefix(def);
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(def: Pick<ResourceDef, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${resourcePrefix(def)}${namespace}/${name}` : `${resourcePrefix(def)}${name}`;
}
