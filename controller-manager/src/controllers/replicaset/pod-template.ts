// A pod for an owner from its spec.template (upstream GetPodFromTemplate): the template's
// labels, annotations, finalizers and spec, generateName `<owner>-`, the owner's namespace,
// and a controller ownerReference (controller=true, blockOwnerDeletion=true).
import type { KubeObject } from '@k8ts/shared';
import { newControllerRef } from '../common/controller-ref.js';

export function podFromTemplate(owner: KubeObject, apiVersion: string, kind: string): KubeObject {
  const tpl = owner.spec?.template ?? {};
  const meta = tpl.metadata ?? {};
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ownerReferences: [newControllerRef(owner, apiVersion, kind)],
    },
    spec: structuredClone(tpl.spec ?? {}),
  };
  if (meta.annotations && Object.keys(meta.annotations).length) pod.metadata.annotations = { ...meta.annotations };
  if (Array.isArray(meta.finalizers) && meta.finalizers.length) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}
