// Node validation (upstream ValidateNode / ValidateNodeUpdate): taints, pod CIDRs, the
// resources it reports; podCIDRs and providerID may only go from unset to set.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asArray, asRecord, child, index, isSet, key, tooMany } from '../common/field-path.js';
import { CIDR_MSG, isCIDR, isQualifiedName, isValidLabelValue } from '../common/name-validation.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';
import { TAINT_EFFECTS } from '../common/pod-spec-validation.js';
import { parseQuantity, QUANTITY_REGEX_MSG } from '../common/quantity.js';
import { deepEqual } from '../common/strategy-helpers.js';

export function validateTaints(taints: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(taints).forEach((raw, i) => {
    const t = asRecord(raw);
    const at = index(field, i);
    const k = typeof t.key === 'string' ? t.key : '';
    for (const m of isQualifiedName(k)) errs.push(FieldErrors.invalid(child(at, 'key'), k, m));
    if (typeof t.value === 'string') for (const m of isValidLabelValue(t.value)) errs.push(FieldErrors.invalid(child(at, 'value'), t.value, m));
    if (!isSet(t.effect) || t.effect === '') errs.push(FieldErrors.required(child(at, 'effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(FieldErrors.notSupported(child(at, 'effect'), t.effect, TAINT_EFFECTS));
    const id = `${k}\u0000${t.effect}`;
    if (seen.has(id)) {
      errs.push({ ...FieldErrors.duplicate(at, t), message: `${FieldErrors.duplicate(at, t).message}: taints must be unique by key and effect pair` });
    }
    seen.add(id);
  });
  return errs;
}

function validateResourceList(list: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(asRecord(list))) {
    const at = key(field, name);
    for (const m of isQualifiedName(name)) errs.push(FieldErrors.invalid(at, name, m));
    const q = parseQuantity(value);
    if (q === undefined) errs.push(FieldErrors.invalid(at, value, QUANTITY_REGEX_MSG));
    else if (q < 0) errs.push(FieldErrors.invalid(at, value, 'must be greater than or equal to 0'));
  }
  return errs;
}

export function validateNode(node: KubeObject): FieldError[] {
  const spec = asRecord(node.spec);
  const errs = validateTaints(spec.taints, 'spec.taints');
  const cidrs = asArray<string>(spec.podCIDRs);
  if (cidrs.length > 2) errs.push(tooMany('spec.podCIDRs', cidrs.length, 2));
  cidrs.forEach((c, i) => { if (!isCIDR(String(c))) errs.push(FieldErrors.invalid(index('spec.podCIDRs', i), c, CIDR_MSG)); });
  if (isSet(spec.podCIDR) && spec.podCIDR !== '' && cidrs.length > 0 && spec.podCIDR !== cidrs[0]) {
    errs.push(FieldErrors.invalid('spec.podCIDRs', cidrs, 'first value must match `podCIDR`'));
  }
  errs.push(...validateNodeStatus(node));
  return errs;
}

export function validateNodeStatus(node: KubeObject): FieldError[] {
  const status = asRecord(node.status);
  return [...validateResourceList(status.capacity, 'status.capacity'), ...validateResourceList(status.allocatable, 'status.allocatable')];
}

/** Update-only rules (the store runs validateNode as well). */
export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const spec = asRecord(node.spec);
  const oldSpec = asRecord(old.spec);
  const errs = validateObjectMetaUpdate(node, old);
  if (asArray(oldSpec.podCIDRs).length > 0 && !deepEqual(spec.podCIDRs, oldSpec.podCIDRs)) {
    errs.push(FieldErrors.forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (isSet(oldSpec.providerID) && oldSpec.providerID !== '' && spec.providerID !== oldSpec.providerID) {
    errs.push(FieldErrors.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}
