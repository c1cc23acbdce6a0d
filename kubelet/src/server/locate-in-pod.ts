// A ready-made `locate` for startKubeletServer: resolves (namespace, pod, container, previous)
// against the pods this kubelet runs, with upstream's rules and messages — the only container
// when none is named, `container X is not valid for pod P`, `is waiting to start: <reason>`,
// `previous terminated container ... not found` — and maps the container to a runtime id
// through the pod's reported status: status.containerStatuses[].containerID (and
// lastState.terminated.containerID for previous), `<runtime>://<id>` with <id> being what the
// ContainerRuntime's exec/logs accept. An unknown pod is a 404.
import { Errors, isStatusError, type KubeObject } from '@k8ts/shared';
import { logContainerId, resolveContainer } from '@k8ts/shared/pod-containers';
import type { LocateContainer } from './kubelet-server.js';

export function locateInPod(getPod: (namespace: string, name: string) => KubeObject | undefined): LocateContainer {
  return async (namespace, name, container, { previous }) => {
    const pod = getPod(namespace, name);
    if (!pod) return { error: Errors.notFound('pods', name) };
    try {
      return { containerId: logContainerId(pod, resolveContainer(pod, container), previous) };
    } catch (err) {
      if (isStatusError(err)) return { error: err };
      throw err;
    }
  };
}
