// Read-modify-write of one Node (upstream controllerutil.SwapNodeControllerTaint and
// RemoveTaintOffNode): GET the node fresh, apply `mutate`, PUT it back compare-and-swap; a
// 409 Conflict repeats the cycle (up to 5 times), a 404 means there is nothing to do.
// `mutate` returns the new taint list, or undefined when no change is needed (no write).
import { isConflict, isNotFound, Resources, type ApiClient, type KubeObject } from '@k8ts/shared';
import { nodeTaints, type Taint } from './taints.js';

const ATTEMPTS = 5;

/** Returns the written node, the unchanged node, or undefined when it no longer exists. */
export async function updateNodeTaints(
  client: ApiClient, name: string, mutate: (taints: Taint[], node: KubeObject) => Taint[] | undefined, signal?: AbortSignal,
): Promise<KubeObject | undefined> {
  for (let i = 0; ; i++) {
    let node: KubeObject;
    try {
      node = await client.get(Resources.nodes, undefined, name, signal);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const next = mutate(nodeTaints(node), node);
    if (!next) return node;
    const spec = { ...node.spec };
    if (next.length) spec.taints = next;
    else delete spec.taints;
    try {
      return await client.update(Resources.nodes, { ...node, spec }, { signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e) || i + 1 >= ATTEMPTS) throw e;
    }
  }
}

/** Adds `add` (replacing same key+effect) and removes `remove` (by key+effect); undefined when already so. */
export function swapTaints(taints: Taint[], add: Taint[], remove: Array<Pick<Taint, 'key' | 'effect'>>): Taint[] | undefined {
  const has = (t: Pick<Taint, 'key' | 'effect'>): boolean => taints.some((x) => x.key === t.key && x.effect === t.effect);
  const needAdd = add.filter((t) => !has(t));
  const needRemove = remove.filter(has);
  if (!needAdd.length && !needRemove.length) return undefined;
  const kept = taints.filter((x) => !needRemove.some((r) => r.key === x.key && r.effect === x.effect));
  return [...kept, ...needAdd];
}
