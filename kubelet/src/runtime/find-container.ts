// Finds a pod's container in the runtime by the kubelet's labels — for the logs/exec server
// (`kubectl logs [-p]`, `kubectl exec`): the newest attempt of `container` in the pod
// `namespace/name` (optionally of a given pod uid), or with previous=true the attempt before
// it (`kubectl logs --previous`). Undefined when there is none.
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './labels.js';
import type { ContainerRuntime, ContainerStatus } from './types.js';

export async function findContainer(
  runtime: Pick<ContainerRuntime, 'listContainers'>, namespace: string, podName: string, container: string,
  opts: { uid?: string; previous?: boolean } = {},
): Promise<ContainerStatus | undefined> {
  const all = (await runtime.listContainers()).filter((c) =>
    c.labels[LABEL_POD_NAMESPACE] === namespace && c.labels[LABEL_POD_NAME] === podName
    && (c.labels[LABEL_CONTAINER_NAME] ?? c.name) === container && (!opts.uid || c.labels[LABEL_POD_UID] === opts.uid));
  all.sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
  return all[opts.previous ? 1 : 0];
}
