// ResourceQuota validation (upstream ValidateResourceQuota): resource names must be
// standard quota resources or qualified names with a '/', quantities ≥ 0 (whole numbers for
// object counts), scopes from the known set.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { asArray, asRecord, child, index, key } from '../common/field-path.js';
import { isQualifiedName } from '../common/name-validation.js';
import { parseQuantity, QUANTITY_REGEX_MSG } from '../common/quantity.js';
import { SELECTOR_OPERATORS } from '../common/label-selector.js';

const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'persistentvolumeclaims', 'configmaps',
  'services.nodeports', 'services.loadbalancers',
]);
export const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

const isHugePages = (name: string): boolean => /^(requests\.)?hugepages-/.test(name);

export function validateQuotaResources(list: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(asRecord(list))) {
    const at = key(field, name);
    const nameErrs = isQualifiedName(name).map((m) => FieldErrors.invalid(at, name, m));
    if (nameErrs.length === 0 && !name.includes('/') && !name.startsWith('count/') && !STANDARD_QUOTA_RESOURCES.has(name) && !isHugePages(name)) {
      nameErrs.push(FieldErrors.invalid(at, name, 'must be a standard resource for quota'));
    }
    errs.push(...nameErrs);
    const q = parseQuantity(value);
    if (q === undefined) errs.push(FieldErrors.invalid(at, value, QUANTITY_REGEX_MSG));
    else if (q < 0) errs.push(FieldErrors.invalid(at, value, 'must be greater than or equal to 0'));
    else if ((INTEGER_RESOURCES.has(name) || name.startsWith('count/')) && !Number.isInteger(q)) {
      errs.push(FieldErrors.invalid(at, value, 'must be an integer'));
    }
  }
  return errs;
}

export function validateResourceQuota(quota: KubeObject): FieldError[] {
  const spec = asRecord(quota.spec);
  const errs = validateQuotaResources(spec.hard, 'spec.hard');
  const seen = new Set<string>();
  asArray(spec.scopes).forEach((s, i) => {
    if (!QUOTA_SCOPES.includes(s)) errs.push(FieldErrors.notSupported(index('spec.scopes', i), s, QUOTA_SCOPES));
    if (seen.has(s)) errs.push(FieldErrors.duplicate(index('spec.scopes', i), s));
    seen.add(s);
  });
  asArray(asRecord(spec.scopeSelector).matchExpressions).forEach((raw, i) => {
    const req = asRecord(raw);
    const at = index('spec.scopeSelector.matchExpressions', i);
    if (!QUOTA_SCOPES.includes(req.scopeName)) errs.push(FieldErrors.notSupported(child(at, 'scopeName'), req.scopeName ?? '', QUOTA_SCOPES));
    if (!(SELECTOR_OPERATORS as readonly string[]).includes(req.operator)) errs.push(FieldErrors.notSupported(child(at, 'operator'), req.operator ?? '', [...SELECTOR_OPERATORS]));
  });
  return [...errs, ...validateResourceQuotaStatus(quota)];
}

export function validateResourceQuotaStatus(quota: KubeObject): FieldError[] {
  const status = asRecord(quota.status);
  return [...validateQuotaResources(status.hard, 'status.hard'), ...validateQuotaResources(status.used, 'status.used')];
}
