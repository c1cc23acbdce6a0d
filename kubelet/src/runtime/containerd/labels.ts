// Label keys the containerd runtime puts on containers. Kubernetes-named keys identify the pod
// and container (like upstream's dockershim/CRI labels); io.k8ts.* keys are the runtime's own
// bookkeeping and are stripped from the labels list* returns.
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_ATTEMPT = 'io.kubernetes.container.attempt';
export const LABEL_SANDBOX_ID = 'io.k8ts.sandbox-id';
export const LABEL_LOG_PATH = 'io.k8ts.log-path';
export const LABEL_CREATED_AT = 'io.k8ts.created-at';
export const LABEL_IMAGE = 'io.k8ts.image';
/** The image the container was created from, by digest (its status' imageID). */
export const LABEL_IMAGE_REF = 'io.k8ts.image-ref';
export const LABEL_KIND = 'io.k8ts.kind';

export function userLabels(all: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith('io.k8ts.') && !k.startsWith('io.containerd.')) out[k] = v;
  }
  return out;
}
