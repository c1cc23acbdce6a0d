// apps/v1 ReplicaSet.
import type { JSONSchema } from '../../registry/types.js';
import { apps, core, define, ref } from '../common/definitions.js';
import { labelSelectorSchema } from '../common/label-selector.js';
import { replicaStatusSchema } from '../common/replica-status-schema.js';
import { int32, kindSchema, obj } from '../common/schema-builders.js';
import '../common/pod-spec-schema.js';

const replicaSetSpecSchema = define(apps('ReplicaSetSpec'), obj({
  replicas: int32('Replicas is the number of desired pods. Defaults to 1.'),
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.'),
  selector: labelSelectorSchema("Selector is a label query over pods that should match the replica count. It must match the pod template's labels."),
  template: ref(core('PodTemplateSpec'), 'Template is the object that describes the pod that will be created if insufficient replicas are detected.'),
}, { required: ['selector'], description: 'ReplicaSetSpec is the specification of a ReplicaSet.' }));

export const replicaSetSchema: JSONSchema = kindSchema(
  { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  {
    spec: replicaSetSpecSchema,
    status: replicaStatusSchema(apps('ReplicaSetStatus'), apps('ReplicaSetCondition'), 'ReplicaSet'),
  },
  'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
);
