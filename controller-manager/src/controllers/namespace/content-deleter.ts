// Deletes everything in one namespace, one resource type at a time (upstream's
// namespacedResourcesDeleter.deleteAllContent), and reports what is left.
//
// Per resource: DELETE on the collection (propagationPolicy Background) when the resource
// supports `deletecollection`, else (or when the server refuses the collection delete with
// 404/405) list and DELETE each object, ignoring 404s. Then list again: objects still there
// are either terminating gracefully (pods bound to a node), waiting for finalizers, or were
// created concurrently; they are counted and the caller tries again later.
//
// Contract: idempotent, and safe to run while objects disappear underneath it. An error on
// one resource type is recorded in `errors` and the other types are still processed; only
// aborting `signal` makes it throw. Not handled: upstream's per-type dynamic rate limits.
import {
  isNotFound, isStatusError, qualifiedResource, resourcePath,
  type ApiClient, type DeleteOptions, type KubeObject, type KubeList,
} from '@k8ts/shared';
import type { NamespacedResource } from './namespaced-resources.js';

export interface RemainingContent {
  /** group resource as upstream prints it: `pods`, `deployments.apps`. */
  resource: string;
  count: number;
}

export interface ContentDeletionResult {
  remaining: RemainingContent[];
  /** finalizer → number of remaining objects that carry it. */
  finalizers: Map<string, number>;
  /** One message per resource type that could not be deleted or listed. */
  errors: string[];
  /** Seconds until the last gracefully terminating object's grace period ends (0 if none). */
  estimateSeconds: number;
}

const BACKGROUND: DeleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };

export async function deleteNamespaceContent(
  client: Pick<ApiClient, 'request' | 'list' | 'delete'>,
  namespace: string,
  resources: readonly NamespacedResource[],
  opts: { signal?: AbortSignal; now?: () => number } = {},
): Promise<ContentDeletionResult> {
  const { signal } = opts;
  const now = opts.now ?? Date.now;
  const result: ContentDeletionResult = { remaining: [], finalizers: new Map(), errors: [], estimateSeconds: 0 };
  for (const r of resources) {
    signal?.throwIfAborted();
    const name = qualifiedResource(r.ref);
    try {
      await deleteAllOf(client, namespace, r, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      result.errors.push(`failed to delete ${name}: ${(e as Error).message}`);
      // still count what is left, so conditions show it
    }
    let left: KubeObject[];
    try {
      left = await listAll(client, namespace, r, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      result.errors.push(`failed to list ${name}: ${(e as Error).message}`);
      continue;
    }
    if (left.length === 0) continue;
    result.remaining.push({ resource: name, count: left.length });
    for (const o of left) {
      for (const f of o.metadata.finalizers ?? []) result.finalizers.set(f, (result.finalizers.get(f) ?? 0) + 1);
      const ts = o.metadata.deletionTimestamp ? Date.parse(o.metadata.deletionTimestamp) : NaN;
      if (Number.isFinite(ts)) result.estimateSeconds = Math.max(result.estimateSeconds, Math.ceil((ts - now()) / 1000));
    }
  }
  return result;
}

async function deleteAllOf(client: Pick<ApiClient, 'request' | 'list' | 'delete'>, ns: string, r: NamespacedResource, signal?: AbortSignal): Promise<void> {
  if (r.verbs.includes('deletecollection')) {
    try {
      await client.request('DELETE', resourcePath(r.ref, ns), BACKGROUND, { signal });
      return;
    } catch (e) {
      // a server that lists the verb but refuses it: fall back to one by one
      if (!(isStatusError(e) && (e.status.code === 404 || e.status.code === 405))) throw e;
    }
  }
  for (const o of await listAll(client, ns, r, signal)) {
    if (o.metadata.deletionTimestamp) continue; // already being deleted (grace period or finalizers)
    try {
      await client.delete(r.ref, ns, o.metadata.name!, BACKGROUND, signal);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

async function listAll(client: Pick<ApiClient, 'list'>, ns: string, r: NamespacedResource, signal?: AbortSignal): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const page: KubeList = await client.list(r.ref, { namespace: ns, limit: 500, continue: cont, signal });
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return items;
}
