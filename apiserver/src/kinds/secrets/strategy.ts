// Secret strategy. On every write: type defaults to Opaque, stringData is folded into data
// (base64, overriding keys present in both) and removed. Validation: key syntax, 1 MiB,
// the keys each built-in type requires, type immutable, `immutable` semantics.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { MAX_DATA_SIZE, validateDataKeys, validateImmutableData } from '../common/data-validation.js';
import { asRecord, immutable, isSet, key } from '../common/field-path.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';

type Rec = Record<string, any>;

/** Keys a secret of a built-in type must have in data (any one of them for basic-auth). */
const REQUIRED_KEYS: Record<string, { keys: string[]; anyOf?: boolean; json?: boolean }> = {
  'kubernetes.io/dockercfg': { keys: ['.dockercfg'], json: true },
  'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'], json: true },
  'kubernetes.io/basic-auth': { keys: ['username', 'password'], anyOf: true },
  'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'] },
  'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
};

export function applySecretDefaults(secret: KubeObject): void {
  if (!isSet(secret.type) || secret.type === '') secret.type = 'Opaque';
  if (isSet(secret.stringData) && typeof secret.stringData === 'object') {
    const data: Rec = isSet(secret.data) && typeof secret.data === 'object' ? secret.data : {};
    for (const [k, v] of Object.entries(secret.stringData as Rec)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
}

function validateTypeRequirements(secret: KubeObject): FieldError[] {
  const data = asRecord(secret.data);
  if (secret.type === 'kubernetes.io/service-account-token') {
    const name = asRecord(secret.metadata.annotations)['kubernetes.io/service-account.name'];
    return !name ? [FieldErrors.required('metadata.annotations[kubernetes.io/service-account.name]')] : [];
  }
  const rule = REQUIRED_KEYS[secret.type];
  if (!rule) return [];
  const present = rule.keys.filter((k) => Object.prototype.hasOwnProperty.call(data, k));
  if (rule.anyOf) return present.length ? [] : [FieldErrors.required(key('data', rule.keys[0]!))];
  const errs = rule.keys.filter((k) => !present.includes(k)).map((k) => FieldErrors.required(key('data', k)));
  if (rule.json && errs.length === 0) {
    const k = rule.keys[0]!;
    try { JSON.parse(Buffer.from(String(data[k]), 'base64').toString('utf8')); } catch (e) {
      errs.push(FieldErrors.invalid(key('data', k), '<secret contents redacted>', (e as Error).message));
    }
  }
  return errs;
}

export function validateSecret(secret: KubeObject): FieldError[] {
  const data = asRecord(secret.data);
  const errs = validateDataKeys(data, 'data');
  let size = 0;
  for (const [k, v] of Object.entries(data)) size += Buffer.byteLength(k) + Buffer.from(String(v), 'base64').length;
  if (size > MAX_DATA_SIZE) errs.push(FieldErrors.tooLong('data', MAX_DATA_SIZE));
  errs.push(...validateTypeRequirements(secret));
  return errs;
}

export function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errs = [...validateObjectMetaUpdate(secret, old), ...validateImmutableData(secret, old, ['data'])];
  if (secret.type !== old.type) errs.push(immutable('type', secret.type));
  return errs;
}

export const secretStrategy: Strategy = {
  prepareForCreate: applySecretDefaults,
  prepareForUpdate: applySecretDefaults,
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  specChanged: () => false,
};
