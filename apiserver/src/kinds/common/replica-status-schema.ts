// status of replica sets and replication controllers (same fields, different struct names).
import type { JSONSchema } from '../../registry/types.js';
import { conditionListSchema } from './condition-schema.js';
import { define } from './definitions.js';
import { int32, int64, obj } from './schema-builders.js';

/** `statusName`/`conditionName` are full definition names; `kind` is used in descriptions. */
export function replicaStatusSchema(statusName: string, conditionName: string, kind: string): JSONSchema {
  return define(statusName, obj({
    replicas: int32(`Replicas is the most recently observed number of non-terminating pods of this ${kind}.`),
    fullyLabeledReplicas: int32('The number of non-terminating pods that have labels matching the labels of the pod template.'),
    readyReplicas: int32('The number of non-terminating pods targeted by this controller with a Ready Condition.'),
    availableReplicas: int32('The number of available non-terminating pods (ready for at least minReadySeconds).'),
    terminatingReplicas: int32('The number of terminating pods for this controller.'),
    observedGeneration: int64('ObservedGeneration reflects the generation of the most recently observed controller.'),
    conditions: conditionListSchema(conditionName, ['lastTransitionTime'], `Represents the latest available observations of a ${kind}'s current state.`),
  }, { required: ['replicas'], description: `The most recently observed status of the ${kind}.` }));
}
