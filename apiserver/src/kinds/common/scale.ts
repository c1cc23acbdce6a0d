// /scale subresource mappings: spec.replicas ⇄ Scale.spec.replicas, status.replicas ⇄
// Scale.status.replicas, and the selector string upstream puts in Scale.status.selector.
import type { KubeObject } from '@k8ts/shared';
import type { ScaleDef } from '../../registry/types.js';
import { asRecord } from './field-path.js';
import { mapToSelectorString, selectorToString } from './label-selector.js';
import { int } from './table-helpers.js';

const base: Omit<ScaleDef, 'selector'> = {
  getReplicas: (obj: KubeObject) => int(asRecord(obj.spec).replicas),
  setReplicas(obj: KubeObject, n: number) {
    if (obj.spec === undefined || obj.spec === null) obj.spec = {};
    obj.spec.replicas = n;
  },
  statusReplicas: (obj: KubeObject) => int(asRecord(obj.status).replicas),
};

/** apps/v1 kinds: spec.selector is a LabelSelector (`app=web,tier in (a,b)`). */
export const labelSelectorScale: ScaleDef = {
  ...base,
  selector: (obj: KubeObject) => selectorToString(asRecord(obj.spec).selector),
};

/** replication controllers: spec.selector is a plain map (`app=web,tier=fe`). */
export const mapSelectorScale: ScaleDef = {
  ...base,
  selector: (obj: KubeObject) => mapToSelectorString(asRecord(obj.spec).selector),
};
