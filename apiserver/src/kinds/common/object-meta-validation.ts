// Validation of metadata common to every kind (upstream ValidateObjectMeta and
// ValidateObjectMetaUpdate). The store sets uid/creationTimestamp/resourceVersion; these
// checks cover what clients send.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asArray, asRecord, child, immutable, isSet } from './field-path.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './name-validation.js';

/** A name validator: `prefix` is true for generateName (a trailing '-' is allowed). */
export type NameValidator = (name: string, prefix: boolean) => string[];

const maskTrailingDash = (name: string): string => (name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name);

export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export function validateLabels(labels: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asRecord(labels))) {
    for (const msg of isQualifiedName(k)) errs.push(FieldErrors.invalid(field, k, msg));
    if (typeof v === 'string') for (const msg of isValidLabelValue(v)) errs.push(FieldErrors.invalid(field, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(asRecord(annotations))) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(FieldErrors.invalid(field, k, msg));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(FieldErrors.tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateFinalizerName(name: string, field: string): FieldError[] {
  const msgs = isQualifiedName(name);
  if (msgs.length) return msgs.map((m) => FieldErrors.invalid(field, name, m));
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    return [FieldErrors.invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of asArray(refs)) {
    const r = asRecord(ref);
    if (!r.apiVersion) errs.push(FieldErrors.invalid(child(field, 'apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(FieldErrors.invalid(child(field, 'kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(FieldErrors.invalid(child(field, 'name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(FieldErrors.invalid(child(field, 'uid'), r.uid ?? '', 'uid must not be empty'));
    if (r.controller === true) controllers.push(`${r.kind}/${r.name}`);
  }
  if (controllers.length > 1) {
    errs.push(FieldErrors.invalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return errs;
}

/**
 * Metadata of an object being created (or updated): name syntax via `nameFn`, namespace
 * presence, labels, annotations, owner references, finalizers.
 */
export function validateObjectMeta(obj: KubeObject, namespaced: boolean, nameFn: NameValidator = nameIsDNSSubdomain): FieldError[] {
  const meta = asRecord(obj.metadata);
  const errs: FieldError[] = [];
  if (typeof meta.generateName === 'string' && meta.generateName !== '') {
    for (const msg of nameFn(meta.generateName, true)) errs.push(FieldErrors.invalid('metadata.generateName', meta.generateName, msg));
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    errs.push(FieldErrors.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name, false)) errs.push(FieldErrors.invalid('metadata.name', meta.name, msg));
  }
  if (namespaced) {
    if (typeof meta.namespace !== 'string' || meta.namespace === '') errs.push(FieldErrors.required('metadata.namespace'));
    else for (const msg of isDNS1123Label(meta.namespace)) errs.push(FieldErrors.invalid('metadata.namespace', meta.namespace, msg));
  } else if (typeof meta.namespace === 'string' && meta.namespace !== '') {
    errs.push(FieldErrors.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(FieldErrors.invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  for (const f of asArray(meta.finalizers)) {
    if (typeof f === 'string') errs.push(...validateFinalizerName(f, 'metadata.finalizers'));
  }
  return errs;
}

/** Identity fields may not change on update (checked only where both sides are set). */
export function validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const n = asRecord(obj.metadata);
  const o = asRecord(old.metadata);
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if (isSet(n[f]) && isSet(o[f]) && n[f] !== o[f]) errs.push(immutable(`metadata.${f}`, n[f]));
  }
  if (isSet(o.deletionTimestamp)) {
    const before = new Set(asArray<string>(o.finalizers));
    const added = asArray<string>(n.finalizers).filter((f) => !before.has(f));
    if (added.length) errs.push(FieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`));
  }
  return errs;
}
