// corev1.ObjectReference (events' involvedObject, endpoints' targetRef). ObjectMeta itself
// is the openapi module's meta built-in (see schema-builders objectMeta()).
import type { JSONSchema } from '../../registry/types.js';
import { core, define, ref } from './definitions.js';
import { obj, str } from './schema-builders.js';

define(core('ObjectReference'), obj({
  kind: str('Kind of the referent.'),
  namespace: str('Namespace of the referent.'),
  name: str('Name of the referent.'),
  uid: str('UID of the referent.'),
  apiVersion: str('API version of the referent.'),
  resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
  fieldPath: str('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'),
}, { description: 'ObjectReference contains enough information to let you inspect or modify the referred object.' }));

export const objectReference = (description?: string): JSONSchema => ref(core('ObjectReference'), description);
