// What the logs/exec/port-forward server (kubelet/src/server/) needs from the kubelet core:
//   locateContainer(ns, pod, container?, {previous}) → { containerId } | { error: StatusError }
// with upstream's messages:
//   pod not on this node                   → 404 `pods "x" not found`
//   no container named, several in the pod → 400 `a container name must be specified for pod x,
//                                            choose one of: [a b]` (+ ` or one of the init
//                                            containers: [i]`)
//   unknown container                      → 400 `container y is not valid for pod x`
//   nothing started yet                    → 400 `container "y" in pod "x" is waiting to start: <reason>`
//   --previous without an earlier attempt  → 400 `previous terminated container "y" in pod "x" not found`
// and dialPodPort(ns, pod, port) → a TCP socket to the pod IP (kubectl port-forward).
import { connect, type Socket } from 'node:net';
import { Errors, type KubeObject, type StatusError } from '@k8ts/shared';
import { findContainer } from '../runtime/find-container.js';
import type { ContainerRuntime } from '../runtime/types.js';

type Rec = Record<string, any>;

export interface PodSource { knownPods(): KubeObject[] }

export function podByName(src: PodSource, namespace: string, name: string): KubeObject | undefined {
  return src.knownPods().find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
}

export function makeLocateContainer(src: PodSource, runtime: Pick<ContainerRuntime, 'listContainers'>) {
  return async (namespace: string, podName: string, container: string | undefined, opts: { previous: boolean }): Promise<{ containerId: string } | { error: StatusError }> => {
    const pod = podByName(src, namespace, podName);
    if (!pod) return { error: Errors.notFound('pods', podName) };
    const apps = ((pod.spec?.containers ?? []) as Rec[]).map((c) => c.name as string);
    const inits = ((pod.spec?.initContainers ?? []) as Rec[]).map((c) => c.name as string);
    let name = container;
    if (!name) {
      if (apps.length === 1) name = apps[0]!;
      else {
        const extra = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
        return { error: Errors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${apps.join(' ')}]${extra}`) };
      }
    }
    if (!apps.includes(name) && !inits.includes(name)) return { error: Errors.badRequest(`container ${name} is not valid for pod ${podName}`) };
    const found = await findContainer(runtime, namespace, podName, name, { uid: pod.metadata.uid, previous: opts.previous });
    if (!found) {
      if (opts.previous) return { error: Errors.badRequest(`previous terminated container "${name}" in pod "${podName}" not found`) };
      const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])] as Rec[];
      const reason = statuses.find((s) => s.name === name)?.state?.waiting?.reason ?? 'ContainerCreating';
      return { error: Errors.badRequest(`container "${name}" in pod "${podName}" is waiting to start: ${reason}`) };
    }
    return { containerId: found.id };
  };
}

export function makePodPortDialer(src: PodSource, nodeIP: string) {
  return (namespace: string, podName: string, port: number): Promise<Socket> => {
    const pod = podByName(src, namespace, podName);
    if (!pod) return Promise.reject(Errors.notFound('pods', podName));
    const ip: string | undefined = pod.spec?.hostNetwork === true ? nodeIP : pod.status?.podIP;
    if (!ip) return Promise.reject(Errors.badRequest(`pod ${podName} has no IP yet`));
    return new Promise((resolve, reject) => {
      const s = connect({ host: ip, port });
      s.once('connect', () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    });
  };
}
