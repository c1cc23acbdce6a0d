// Labels and annotations the kubelet puts on everything it asks the runtime to create. They
// are the source of truth for adoption after a kubelet restart (the same keys upstream's
// kubelet uses with CRI), so a sandbox or container can always be traced back to its pod.
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** `init` or `app` (k8ts-specific: upstream derives it from the pod spec). */
export const LABEL_CONTAINER_TYPE = 'io.k8ts.container.type';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';

export function podUidOf(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[LABEL_POD_UID] || undefined;
}
