// Which container of a pod a log/exec/attach request addresses, and whether it can serve it
// now — upstream's checks and messages (pod strategy's validateContainer and the kubelet's
// validateContainerLogStatus). The apiserver answers from the pod it stores (a pod without a
// status for the container goes on to the kubelet); the kubelet maps the request to a runtime
// container id from the status it reports (logContainerId).
//
// Contract: pure; returns a name/id or throws a 400 StatusError with upstream's message.
import type { KubeObject } from './api/meta.js';
import { Errors } from './errors.js';

interface ContainerStatusLike {
  name: string;
  containerID?: string;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { containerID?: string } };
  lastState?: { terminated?: { containerID?: string } };
}

const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((c) => String((c as { name?: unknown }).name)) : []);

/** The container the request means: the given one (if the pod has it) or the only one. */
export function resolveContainer(pod: KubeObject, container: string | undefined): string {
  const podName = pod.metadata.name!;
  const containers = names(pod.spec?.containers);
  const inits = names(pod.spec?.initContainers);
  const ephemeral = names(pod.spec?.ephemeralContainers);
  if (!container) {
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw Errors.badRequest(`a container name must be specified for pod ${podName}`);
    let msg = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
    if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
    throw Errors.badRequest(msg);
  }
  if (![...containers, ...inits, ...ephemeral].includes(container)) throw Errors.badRequest(`container ${container} is not valid for pod ${podName}`);
  return container;
}

function statusFor(pod: KubeObject, container: string): ContainerStatusLike | undefined {
  const st = pod.status as Record<string, unknown> | undefined;
  const all = [st?.containerStatuses, st?.initContainerStatuses, st?.ephemeralContainerStatuses]
    .flatMap((l) => (Array.isArray(l) ? (l as ContainerStatusLike[]) : []));
  return all.find((s) => s?.name === container);
}

function waitingMessage(container: string, pod: string, reason: string | undefined): string {
  switch (reason) {
    case 'ErrImagePull': return `container "${container}" in pod "${pod}" is waiting to start: image can't be pulled`;
    case 'ImagePullBackOff': return `container "${container}" in pod "${pod}" is waiting to start: trying and failing to pull image`;
    default: return `container "${container}" in pod "${pod}" is waiting to start: ${reason ?? 'ContainerCreating'}`;
  }
}

/** Throws the kubelet's 400 when the container has no logs to show (yet, or any more). */
export function checkLogsAvailable(pod: KubeObject, container: string, previous: boolean): void {
  const s = statusFor(pod, container);
  if (!s) return;
  const podName = pod.metadata.name!;
  const lastTerm = s.lastState?.terminated;
  if (previous) {
    if (!lastTerm?.containerID) throw Errors.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return;
  }
  if (s.state?.running) return;
  if (s.state?.terminated) {
    if (!s.state.terminated.containerID && !lastTerm?.containerID) throw Errors.badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return;
  }
  if (lastTerm) {
    if (!lastTerm.containerID) throw Errors.badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return;
  }
  if (s.state?.waiting) throw Errors.badRequest(waitingMessage(container, podName, s.state.waiting.reason));
}

/** Throws a 400 unless the container is running (exec and attach need a live process). */
export function checkRunning(pod: KubeObject, container: string): void {
  const s = statusFor(pod, container);
  if (!s || s.state?.running) return;
  const podName = pod.metadata.name!;
  if (s.state?.waiting) throw Errors.badRequest(waitingMessage(container, podName, s.state.waiting.reason));
  if (s.state?.terminated) throw Errors.badRequest(`container "${container}" in pod "${podName}" is terminated`);
}

const runtimeId = (containerID: string): string => containerID.replace(/^[a-z0-9.+-]+:\/\//i, '');

/**
 * The runtime container id (status containerID without its `runtime://` prefix) whose logs a
 * request means, as the kubelet picks it: the previous instance for `previous`, else the
 * current one (running or terminated), else the last terminated one.
 */
export function logContainerId(pod: KubeObject, container: string, previous: boolean): string {
  const s = statusFor(pod, container);
  const podName = pod.metadata.name!;
  const lastTerm = s?.lastState?.terminated;
  if (previous) {
    if (!lastTerm?.containerID) throw Errors.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return runtimeId(lastTerm.containerID);
  }
  if (s?.state?.running && s.containerID) return runtimeId(s.containerID);
  if (s?.state?.terminated) {
    const id = s.state.terminated.containerID || s.containerID || lastTerm?.containerID;
    if (!id) throw Errors.badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return runtimeId(id);
  }
  if (lastTerm) {
    if (!lastTerm.containerID) throw Errors.badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return runtimeId(lastTerm.containerID);
  }
  if (s?.state?.waiting) throw Errors.badRequest(waitingMessage(container, podName, s.state.waiting.reason));
  throw Errors.badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}
