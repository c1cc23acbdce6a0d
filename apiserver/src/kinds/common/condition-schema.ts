// Condition lists: each kind's conditions share a shape (type, status, reason, message and
// some timestamps) and merge by `type`.
import type { JSONSchema } from '../../registry/types.js';
import { define, META_CONDITION, ref } from './definitions.js';
import { int64, mergeList, obj, str, time } from './schema-builders.js';

/**
 * Defines the condition struct `name` (e.g. io.k8s.api.core.v1.PodCondition) with the
 * given time fields and returns a list of it merged by type.
 */
export function conditionListSchema(name: string, timestamps: string[], description: string, extra: Record<string, JSONSchema> = {}): JSONSchema {
  const props: Record<string, JSONSchema> = {
    type: str('Type of condition.'),
    status: str('Status of the condition, one of True, False, Unknown.'),
  };
  for (const t of timestamps) props[t] = time();
  props.reason = str("Unique, one-word, CamelCase reason for the condition's last transition.");
  props.message = str('Human-readable message indicating details about last transition.');
  Object.assign(props, extra);
  return mergeList(define(name, obj(props, { required: ['type', 'status'] })), 'type', { description });
}

define(META_CONDITION, obj({
  type: str('type of condition in CamelCase or in foo.example.com/CamelCase.'),
  status: str('status of the condition, one of True, False, Unknown.'),
  observedGeneration: int64('observedGeneration represents the .metadata.generation that the condition was set based upon.'),
  lastTransitionTime: time('lastTransitionTime is the last time the condition transitioned from one status to another.'),
  reason: str("reason contains a programmatic identifier indicating the reason for the condition's last transition."),
  message: str('message is a human readable message indicating details about the transition.'),
}, { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'], description: 'Condition contains details for one aspect of the current state of this API Resource.' }));

/** A list of metav1.Condition (services' status.conditions). */
export function metaConditionListSchema(description: string): JSONSchema {
  return mergeList(ref(META_CONDITION), 'type', { description });
}
