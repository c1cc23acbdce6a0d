// Endpoints strategy: port protocol defaults to TCP; validation of addresses and ports.
// PUT of a missing Endpoints creates it (upstream AllowCreateOnUpdate).
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { PROTOCOLS } from '../common/container-validation.js';
import { asArray, asRecord, child, index, isSet } from '../common/field-path.js';
import {
  IP_MSG, isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortNum, PORT_RANGE_MSG,
} from '../common/name-validation.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';

export function applyEndpointsDefaults(ep: KubeObject): void {
  for (const subset of asArray(ep.subsets)) {
    for (const port of asArray(asRecord(subset).ports)) {
      if (isSet(port) && typeof port === 'object' && (!isSet(port.protocol) || port.protocol === '')) port.protocol = 'TCP';
    }
  }
}

function validateAddress(raw: unknown, field: string): FieldError[] {
  const a = asRecord(raw);
  const errs: FieldError[] = [];
  if (!isSet(a.ip) || a.ip === '') errs.push(FieldErrors.required(child(field, 'ip')));
  else if (!isIP(a.ip)) errs.push(FieldErrors.invalid(child(field, 'ip'), a.ip, IP_MSG));
  if (typeof a.hostname === 'string' && a.hostname !== '') for (const m of isDNS1123Label(a.hostname)) errs.push(FieldErrors.invalid(child(field, 'hostname'), a.hostname, m));
  if (typeof a.nodeName === 'string' && a.nodeName !== '') for (const m of isDNS1123Subdomain(a.nodeName)) errs.push(FieldErrors.invalid(child(field, 'nodeName'), a.nodeName, m));
  return errs;
}

export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(ep.subsets).forEach((raw, i) => {
    const s = asRecord(raw);
    const at = index('subsets', i);
    const addresses = asArray(s.addresses);
    const notReady = asArray(s.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errs.push(FieldErrors.required(at, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, index(child(at, 'addresses'), j))));
    notReady.forEach((a, j) => errs.push(...validateAddress(a, index(child(at, 'notReadyAddresses'), j))));
    const ports = asArray(s.ports).map(asRecord);
    const names = new Set<string>();
    ports.forEach((p, j) => {
      const pat = index(child(at, 'ports'), j);
      if (ports.length > 1 && (!isSet(p.name) || p.name === '')) errs.push(FieldErrors.required(child(pat, 'name')));
      else if (isSet(p.name) && p.name !== '') {
        for (const m of isDNS1123Label(p.name)) errs.push(FieldErrors.invalid(child(pat, 'name'), p.name, m));
        if (names.has(p.name)) errs.push(FieldErrors.duplicate(child(pat, 'name'), p.name));
        names.add(p.name);
      }
      if (!isValidPortNum(p.port)) errs.push(FieldErrors.invalid(child(pat, 'port'), p.port ?? 0, PORT_RANGE_MSG));
      if (!isSet(p.protocol) || p.protocol === '') errs.push(FieldErrors.required(child(pat, 'protocol')));
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(FieldErrors.notSupported(child(pat, 'protocol'), p.protocol, PROTOCOLS));
    });
  });
  return errs;
}

export const endpointsStrategy: Strategy = {
  prepareForCreate: applyEndpointsDefaults,
  prepareForUpdate: applyEndpointsDefaults,
  validate: validateEndpoints,
  validateUpdate: validateObjectMetaUpdate,
  allowCreateOnUpdate: true,
  specChanged: () => false,
};
