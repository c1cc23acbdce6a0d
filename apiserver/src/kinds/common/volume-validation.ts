// Validation of pod volumes (upstream ValidateVolumes): names, exactly one source, and the
// fields of the sources k8ts runs. Returns the volume names for volumeMount checks.
import { FieldErrors, type FieldError } from '@k8ts/shared';
import { validateFieldRef, validateResourceFieldRef } from './container-validation.js';
import { asArray, asRecord, child, index, isSet } from './field-path.js';
import { isConfigMapKey, isDNS1123Label, isDNS1123Subdomain } from './name-validation.js';
import { parseQuantity } from './quantity.js';
import { VOLUME_SOURCES } from './volume-schema.js';

type Rec = Record<string, any>;

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
const MAX_MODE = 0o777;
const MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

function validateMode(mode: unknown, field: string): FieldError[] {
  if (!isSet(mode)) return [];
  return typeof mode === 'number' && mode >= 0 && mode <= MAX_MODE ? [] : [FieldErrors.invalid(field, mode, MODE_MSG)];
}

function validateLocalPath(path: unknown, field: string): FieldError[] {
  if (!isSet(path) || path === '') return [FieldErrors.required(field)];
  const p = String(path);
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(FieldErrors.invalid(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(FieldErrors.invalid(field, p, "must not contain '..'"));
  return errs;
}

function validateKeyToPaths(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(items).forEach((raw, i) => {
    const it = asRecord(raw);
    const at = index(field, i);
    if (!isSet(it.key) || it.key === '') errs.push(FieldErrors.required(child(at, 'key')));
    else for (const m of isConfigMapKey(it.key)) errs.push(FieldErrors.invalid(child(at, 'key'), it.key, m));
    errs.push(...validateLocalPath(it.path, child(at, 'path')));
    errs.push(...validateMode(it.mode, child(at, 'mode')));
  });
  return errs;
}

function validateDownwardItems(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(items).forEach((raw, i) => {
    const it = asRecord(raw);
    const at = index(field, i);
    errs.push(...validateLocalPath(it.path, child(at, 'path')));
    errs.push(...validateMode(it.mode, child(at, 'mode')));
    if (isSet(it.fieldRef) && isSet(it.resourceFieldRef)) {
      errs.push(FieldErrors.invalid(at, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (isSet(it.fieldRef)) {
      errs.push(...validateFieldRef(asRecord(it.fieldRef), child(at, 'fieldRef')));
    } else if (isSet(it.resourceFieldRef)) {
      errs.push(...validateResourceFieldRef(asRecord(it.resourceFieldRef), child(at, 'resourceFieldRef'), true));
    } else {
      errs.push(FieldErrors.required(at, 'one of fieldRef and resourceFieldRef is required'));
    }
  });
  return errs;
}

function requiredName(value: unknown, field: string): FieldError[] {
  if (!isSet(value) || value === '') return [FieldErrors.required(field)];
  return isDNS1123Subdomain(String(value)).map((m) => FieldErrors.invalid(field, value, m));
}

function validateSource(v: Rec, source: string, field: string): FieldError[] {
  const s = asRecord(v[source]);
  switch (source) {
    case 'hostPath': {
      const errs: FieldError[] = [];
      if (!isSet(s.path) || s.path === '') errs.push(FieldErrors.required(child(field, 'path')));
      if (isSet(s.type) && !HOST_PATH_TYPES.includes(s.type)) errs.push(FieldErrors.notSupported(child(field, 'type'), s.type, HOST_PATH_TYPES));
      return errs;
    }
    case 'emptyDir': {
      const errs: FieldError[] = [];
      if (isSet(s.medium) && s.medium !== '' && s.medium !== 'Memory' && !String(s.medium).startsWith('HugePages')) {
        errs.push(FieldErrors.notSupported(child(field, 'medium'), s.medium, ['', 'Memory', 'HugePages']));
      }
      if (isSet(s.sizeLimit)) {
        const q = parseQuantity(s.sizeLimit);
        if (q === undefined || q < 0) errs.push(FieldErrors.invalid(child(field, 'sizeLimit'), s.sizeLimit, 'must be greater than or equal to 0'));
      }
      return errs;
    }
    case 'secret':
      return [
        ...requiredName(s.secretName, child(field, 'secretName')),
        ...validateKeyToPaths(s.items, child(field, 'items')),
        ...validateMode(s.defaultMode, child(field, 'defaultMode')),
      ];
    case 'configMap':
      return [
        ...requiredName(s.name, child(field, 'name')),
        ...validateKeyToPaths(s.items, child(field, 'items')),
        ...validateMode(s.defaultMode, child(field, 'defaultMode')),
      ];
    case 'persistentVolumeClaim':
      return !isSet(s.claimName) || s.claimName === '' ? [FieldErrors.required(child(field, 'claimName'))] : [];
    case 'downwardAPI':
      return [...validateDownwardItems(s.items, child(field, 'items')), ...validateMode(s.defaultMode, child(field, 'defaultMode'))];
    case 'projected': {
      const errs = validateMode(s.defaultMode, child(field, 'defaultMode'));
      asArray(s.sources).forEach((raw, i) => {
        const src = asRecord(raw);
        const at = index(child(field, 'sources'), i);
        const kinds = ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'].filter((k) => isSet(src[k]));
        if (kinds.length === 0) errs.push(FieldErrors.required(at, 'must specify exactly 1 of: `secret`, `configMap`, `downwardAPI`, `serviceAccountToken`'));
        for (const extra of kinds.slice(1)) errs.push(FieldErrors.forbidden(child(at, extra), 'may not specify more than 1 volume type per source'));
        if (isSet(src.secret)) errs.push(...validateKeyToPaths(asRecord(src.secret).items, child(at, 'secret', 'items')));
        if (isSet(src.configMap)) errs.push(...validateKeyToPaths(asRecord(src.configMap).items, child(at, 'configMap', 'items')));
        if (isSet(src.downwardAPI)) errs.push(...validateDownwardItems(asRecord(src.downwardAPI).items, child(at, 'downwardAPI', 'items')));
        if (isSet(src.serviceAccountToken)) errs.push(...validateLocalPath(asRecord(src.serviceAccountToken).path, child(at, 'serviceAccountToken', 'path')));
      });
      return errs;
    }
    default:
      return [];
  }
}

/** Validates `volumes` at `field` (e.g. `spec.volumes`); `names` receives the valid names. */
export function validateVolumes(volumes: unknown, field: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  asArray(volumes).forEach((raw, i) => {
    const v = asRecord(raw);
    const at = index(field, i);
    if (!isSet(v.name) || v.name === '') {
      errs.push(FieldErrors.required(child(at, 'name')));
    } else {
      const msgs = isDNS1123Label(v.name);
      for (const m of msgs) errs.push(FieldErrors.invalid(child(at, 'name'), v.name, m));
      if (names.has(v.name)) errs.push(FieldErrors.duplicate(child(at, 'name'), v.name));
      else if (msgs.length === 0) names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => isSet(v[s]));
    if (sources.length === 0) {
      errs.push(FieldErrors.required(at, 'must specify a volume type'));
      return;
    }
    for (const extra of sources.slice(1)) errs.push(FieldErrors.forbidden(child(at, extra), 'may not specify more than 1 volume type'));
    errs.push(...validateSource(v, sources[0]!, child(at, sources[0]!)));
  });
  return errs;
}
