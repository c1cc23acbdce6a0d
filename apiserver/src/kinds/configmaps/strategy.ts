// ConfigMap strategy: key syntax, no key in both data and binaryData, at most 1 MiB, and
// `immutable` semantics on update.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asRecord, key } from '../common/field-path.js';
import { MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from '../common/data-validation.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const data = asRecord(cm.data);
  const binary = asRecord(cm.binaryData);
  const errs = [...validateDataKeys(data, 'data'), ...validateDataKeys(binary, 'binaryData')];
  let size = 0;
  for (const [k, v] of Object.entries(data)) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  for (const [k, v] of Object.entries(binary)) {
    size += Buffer.byteLength(k) + Buffer.from(String(v), 'base64').length;
    if (Object.prototype.hasOwnProperty.call(data, k)) errs.push(FieldErrors.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
  }
  if (size > MAX_DATA_SIZE) errs.push(FieldErrors.tooLong('', MAX_DATA_SIZE));
  return errs;
}

export const configMapStrategy: Strategy = {
  validate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateObjectMetaUpdate(cm, old), ...validateImmutableData(cm, old, ['data', 'binaryData'])],
  specChanged: () => false,
};
