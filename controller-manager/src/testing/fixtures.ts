// Test fixtures shared by the replica and garbage-collector tests: objects, and small reads
// against the API (active pods, events about an object), and playing the kubelet (Ready).
import { isAlreadyExists, Resources, type ApiClient, type KubeObject } from '@k8ts/shared';

export async function createNamespace(c: ApiClient, name: string): Promise<void> {
  try {
    await c.create(Resources.namespaces, { metadata: { name } });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

export function replicaSet(namespace: string, name: string, replicas: number, labels: Record<string, string> = { app: name, tier: 'fe' }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: labels.app! } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  };
}

/** Pods matching the selector that are not being deleted. */
export async function activePods(c: ApiClient, namespace: string, labelSelector: string): Promise<KubeObject[]> {
  const list = await c.list(Resources.pods, { namespace, labelSelector });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

export async function eventsFor(c: ApiClient, namespace: string, name: string): Promise<KubeObject[]> {
  const list = await c.list(Resources.events, { namespace });
  return list.items.filter((e) => e.involvedObject?.name === name);
}

/** What the kubelet would write: Running with a Ready condition that turned True now. */
export async function markReady(c: ApiClient, namespace: string, name: string): Promise<void> {
  const pod = await c.get(Resources.pods, namespace, name);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await c.updateStatus(Resources.pods, {
    ...pod,
    status: { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
  });
}
