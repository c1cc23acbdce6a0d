// Metadata validation for every kind (the store's `validateMeta` hook): upstream's
// ValidateObjectMeta with each kind's name rule — DNS-1123 labels for namespaces, DNS-1035
// labels for services, DNS-1123 subdomains for everything else.
import type { FieldError, KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta, type NameValidator } from './common/object-meta-validation.js';
import { nameIsDNS1035Label } from './services/validation.js';

const NAME_RULES: Record<string, NameValidator> = {
  '/namespaces': nameIsDNSLabel,
  '/services': nameIsDNS1035Label,
};

export function nameValidatorFor(def: Pick<ResourceDef, 'group' | 'plural'>): NameValidator {
  return NAME_RULES[`${def.group}/${def.plural}`] ?? nameIsDNSSubdomain;
}

export function validateMetaFor(obj: KubeObject, def: ResourceDef): FieldError[] {
  return validateObjectMeta(obj, def.namespaced, nameValidatorFor(def));
}
