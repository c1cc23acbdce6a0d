// DefaultTolerationSeconds (upstream plugin/pkg/admission/defaulttolerationseconds): pods
// created or updated (not their subresources) that do not tolerate the
// node.kubernetes.io/not-ready and node.kubernetes.io/unreachable NoExecute taints get a
// toleration for each, `operator: Exists`, for --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds (300 each by default). A toleration with an empty
// key (operator Exists) or an empty effect counts as tolerating.
import type { KubeObject } from '@k8ts/shared';
import type { AdmissionAttributes, MutatingPlugin } from './types.js';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

type Toleration = { key?: string; operator?: string; effect?: string; tolerationSeconds?: number };

function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function addDefaultTolerations(pod: KubeObject, opts: DefaultTolerationSecondsOptions = {}): void {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return;
  const current: Toleration[] = Array.isArray(spec.tolerations) ? spec.tolerations.filter((t: unknown) => t && typeof t === 'object') : [];
  const add: Toleration[] = [];
  const wanted: Array<[string, number]> = [[NOT_READY_TAINT, opts.notReadySeconds ?? 300], [UNREACHABLE_TAINT, opts.unreachableSeconds ?? 300]];
  for (const [key, seconds] of wanted) {
    if (!tolerates(current, key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  if (add.length) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...add];
}

export function defaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): MutatingPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(a: AdmissionAttributes) {
      if (a.resource.group !== '' || a.resource.plural !== 'pods' || a.subresource) return;
      addDefaultTolerations(a.object, opts);
    },
  };
}
