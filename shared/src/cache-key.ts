// Cache and workqueue keys, as client-go's MetaNamespaceKeyFunc: `namespace/name` for
// namespaced objects, `name` for cluster-scoped ones. Names and namespaces never contain '/',
// so the mapping is reversible.
import type { KubeObject } from './api/meta.js';

export function objectKey(obj: Pick<KubeObject, 'metadata'>): string {
  const { namespace, name } = obj.metadata ?? {};
  if (!name) throw new TypeError('object has no metadata.name');
  return namespace ? `${namespace}/${name}` : name;
}

export function keyFor(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
