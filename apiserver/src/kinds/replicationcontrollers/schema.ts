// core/v1 ReplicationController.
import type { JSONSchema } from '../../registry/types.js';
import { core, define, ref } from '../common/definitions.js';
import { replicaStatusSchema } from '../common/replica-status-schema.js';
import { int32, kindSchema, obj, stringMap } from '../common/schema-builders.js';
import '../common/pod-spec-schema.js';

const replicationControllerSpecSchema = define(core('ReplicationControllerSpec'), obj({
  replicas: int32('Replicas is the number of desired replicas. Defaults to 1.'),
  minReadySeconds: int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.'),
  selector: { ...stringMap('Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template.'), 'x-kubernetes-map-type': 'atomic' } as JSONSchema,
  template: ref(core('PodTemplateSpec'), 'Template is the object that describes the pod that will be created if insufficient replicas are detected.'),
}, { description: 'ReplicationControllerSpec is the specification of a replication controller.' }));

export const replicationControllerSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'ReplicationController' },
  {
    spec: replicationControllerSpecSchema,
    status: replicaStatusSchema(core('ReplicationControllerStatus'), core('ReplicationControllerCondition'), 'replication controller'),
  },
  'ReplicationController represents the configuration of a replication controller.',
);
