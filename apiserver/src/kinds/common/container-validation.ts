// Validation of containers (upstream validateContainers / validateInitContainers and their
// helpers): names, images, ports, env, envFrom, volume mounts, probes, lifecycle, resources.
import { FieldErrors, type FieldError } from '@k8ts/shared';
import { asArray, asRecord, child, index, isSet, key, notFound } from './field-path.js';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidPortName, isValidPortNum, PORT_RANGE_MSG,
} from './name-validation.js';
import { parseQuantity, QUANTITY_REGEX_MSG } from './quantity.js';

type Rec = Record<string, any>;

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const FIELD_REF_PATHS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const RESOURCE_FIELD_REFS = [
  'limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory',
];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

export interface ContainerContext {
  /** names of the pod's volumes (for volumeMounts) */
  volumes: Set<string>;
  /** names already used by other containers of the pod (mutated: this container's name is added) */
  names: Set<string>;
  init: boolean;
}

/** A port given as number (1–65535) or IANA_SVC_NAME (probes, targetPort). */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port) ? [] : [FieldErrors.invalid(field, port, PORT_RANGE_MSG)];
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return isValidPortNum(Number(port)) ? [] : [FieldErrors.invalid(field, port, PORT_RANGE_MSG)];
    return isValidPortName(port).map((m) => FieldErrors.invalid(field, port, m));
  }
  return [FieldErrors.required(field)];
}

function validatePorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((raw, i) => {
    const p = asRecord(raw);
    const at = index(field, i);
    if (isSet(p.name) && p.name !== '') {
      for (const m of isValidPortName(p.name)) errs.push(FieldErrors.invalid(child(at, 'name'), p.name, m));
      if (names.has(p.name)) errs.push(FieldErrors.duplicate(child(at, 'name'), p.name));
      names.add(p.name);
    }
    if (!isSet(p.containerPort) || p.containerPort === 0) errs.push(FieldErrors.required(child(at, 'containerPort')));
    else if (!isValidPortNum(p.containerPort)) errs.push(FieldErrors.invalid(child(at, 'containerPort'), p.containerPort, PORT_RANGE_MSG));
    if (isSet(p.hostPort) && p.hostPort !== 0 && !isValidPortNum(p.hostPort)) errs.push(FieldErrors.invalid(child(at, 'hostPort'), p.hostPort, PORT_RANGE_MSG));
    if (!isSet(p.protocol) || p.protocol === '') errs.push(FieldErrors.required(child(at, 'protocol')));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(FieldErrors.notSupported(child(at, 'protocol'), p.protocol, PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Rec, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(sel.key) || sel.key === '') errs.push(FieldErrors.required(child(field, 'key')));
  else for (const m of isConfigMapKey(sel.key)) errs.push(FieldErrors.invalid(child(field, 'key'), sel.key, m));
  if (!isSet(sel.name) || sel.name === '') errs.push(FieldErrors.required(child(field, 'name')));
  else for (const m of isDNS1123Subdomain(sel.name)) errs.push(FieldErrors.invalid(child(field, 'name'), sel.name, m));
  return errs;
}

export function validateFieldRef(ref: Rec, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(ref.apiVersion) || ref.apiVersion === '') errs.push(FieldErrors.required(child(field, 'apiVersion')));
  const path = ref.fieldPath;
  if (!isSet(path) || path === '') {
    errs.push(FieldErrors.required(child(field, 'fieldPath')));
  } else {
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
    if (m) {
      const k = m[2]!;
      const msgs = m[1] === 'labels' ? isQualifiedName(k) : isQualifiedName(k.toLowerCase());
      for (const msg of msgs) errs.push(FieldErrors.invalid(child(field, 'fieldPath'), k, msg));
    } else if (!FIELD_REF_PATHS.includes(path)) {
      errs.push(FieldErrors.notSupported(child(field, 'fieldPath'), path, FIELD_REF_PATHS));
    }
  }
  return errs;
}

export function validateResourceFieldRef(ref: Rec, field: string, containerRequired: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (containerRequired && (!isSet(ref.containerName) || ref.containerName === '')) errs.push(FieldErrors.required(child(field, 'containerName')));
  if (!isSet(ref.resource) || ref.resource === '') errs.push(FieldErrors.required(child(field, 'resource')));
  else if (!RESOURCE_FIELD_REFS.includes(ref.resource) && !/^(limits|requests)\.hugepages-/.test(ref.resource)) {
    errs.push(FieldErrors.notSupported(child(field, 'resource'), ref.resource, RESOURCE_FIELD_REFS));
  }
  return errs;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(env).forEach((raw, i) => {
    const e = asRecord(raw);
    const at = index(field, i);
    if (!isSet(e.name) || e.name === '') errs.push(FieldErrors.required(child(at, 'name')));
    else for (const m of isEnvVarName(e.name)) errs.push(FieldErrors.invalid(child(at, 'name'), e.name, m));
    if (!isSet(e.valueFrom)) return;
    const from = asRecord(e.valueFrom);
    const fromPath = child(at, 'valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => isSet(from[k]));
    if (isSet(e.value) && e.value !== '') errs.push(FieldErrors.invalid(fromPath, '', 'may not be specified when `value` is not empty'));
    if (sources.length === 0) {
      errs.push(FieldErrors.invalid(fromPath, '', 'must specify one of: `configMapKeyRef`, `fieldRef`, `resourceFieldRef` or `secretKeyRef`'));
      return;
    }
    if (sources.length > 1) {
      errs.push(FieldErrors.invalid(fromPath, '', 'may not have more than one field specified at a time'));
      return;
    }
    if (isSet(from.fieldRef)) errs.push(...validateFieldRef(asRecord(from.fieldRef), child(fromPath, 'fieldRef')));
    if (isSet(from.resourceFieldRef)) errs.push(...validateResourceFieldRef(asRecord(from.resourceFieldRef), child(fromPath, 'resourceFieldRef'), false));
    if (isSet(from.configMapKeyRef)) errs.push(...validateKeySelector(asRecord(from.configMapKeyRef), child(fromPath, 'configMapKeyRef')));
    if (isSet(from.secretKeyRef)) errs.push(...validateKeySelector(asRecord(from.secretKeyRef), child(fromPath, 'secretKeyRef')));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(envFrom).forEach((raw, i) => {
    const e = asRecord(raw);
    const at = index(field, i);
    if (isSet(e.prefix) && e.prefix !== '') for (const m of isEnvVarName(e.prefix)) errs.push(FieldErrors.invalid(child(at, 'prefix'), e.prefix, m));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isSet(e[k]));
    if (refs.length === 0) errs.push(FieldErrors.invalid(at, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(FieldErrors.invalid(at, '', 'may not have more than one field specified at a time'));
    for (const r of refs) {
      const name = asRecord(e[r]).name;
      if (!isSet(name) || name === '') errs.push(FieldErrors.required(child(at, r, 'name')));
      else for (const m of isDNS1123Subdomain(name)) errs.push(FieldErrors.invalid(child(at, r, 'name'), name, m));
    }
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, field: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  asArray(mounts).forEach((raw, i) => {
    const m = asRecord(raw);
    const at = index(field, i);
    if (!isSet(m.name) || m.name === '') errs.push(FieldErrors.required(child(at, 'name')));
    else if (!volumes.has(m.name)) errs.push(notFound(child(at, 'name'), m.name));
    if (!isSet(m.mountPath) || m.mountPath === '') {
      errs.push(FieldErrors.required(child(at, 'mountPath')));
    } else {
      if (paths.has(m.mountPath)) errs.push(FieldErrors.invalid(child(at, 'mountPath'), m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
    if (typeof m.subPath === 'string' && m.subPath !== '') {
      if (m.subPath.startsWith('/')) errs.push(FieldErrors.invalid(child(at, 'subPath'), m.subPath, 'must be a relative path'));
      if (m.subPath.split('/').includes('..')) errs.push(FieldErrors.invalid(child(at, 'subPath'), m.subPath, "must not contain '..'"));
    }
  });
  return errs;
}

/** Exactly one handler among `kinds`; then each handler's own fields. */
function validateHandler(handler: Rec, field: string, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const set = kinds.filter((k) => isSet(handler[k]));
  if (set.length === 0) return [FieldErrors.required(field, 'must specify a handler type')];
  for (const extra of set.slice(1)) errs.push(FieldErrors.forbidden(child(field, extra), 'may not specify more than 1 handler type'));
  if (isSet(handler.exec) && asArray(asRecord(handler.exec).command).length === 0) errs.push(FieldErrors.required(child(field, 'exec', 'command')));
  if (isSet(handler.httpGet)) {
    const h = asRecord(handler.httpGet);
    errs.push(...validatePortNumOrName(h.port, child(field, 'httpGet', 'port')));
    if (isSet(h.scheme) && !['HTTP', 'HTTPS'].includes(h.scheme)) errs.push(FieldErrors.notSupported(child(field, 'httpGet', 'scheme'), h.scheme, ['HTTP', 'HTTPS']));
  }
  if (isSet(handler.tcpSocket)) errs.push(...validatePortNumOrName(asRecord(handler.tcpSocket).port, child(field, 'tcpSocket', 'port')));
  if (isSet(handler.grpc)) {
    const port = asRecord(handler.grpc).port;
    if (!isValidPortNum(port)) errs.push(FieldErrors.invalid(child(field, 'grpc', 'port'), port ?? 0, PORT_RANGE_MSG));
  }
  if (isSet(handler.sleep)) {
    const s = asRecord(handler.sleep).seconds;
    if (typeof s !== 'number' || s < 0) errs.push(FieldErrors.invalid(child(field, 'sleep', 'seconds'), s ?? 0, 'must be greater than or equal to 0'));
  }
  return errs;
}

function validateProbe(probe: unknown, field: string, successMustBeOne: boolean): FieldError[] {
  if (!isSet(probe)) return [];
  const p = asRecord(probe);
  const errs = validateHandler(p, field, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (typeof p[k] === 'number' && p[k] < 0) errs.push(FieldErrors.invalid(child(field, k), p[k], 'must be greater than or equal to 0'));
  }
  if (successMustBeOne && typeof p.successThreshold === 'number' && p.successThreshold !== 1) {
    errs.push(FieldErrors.invalid(child(field, 'successThreshold'), p.successThreshold, 'must be 1'));
  }
  if (typeof p.terminationGracePeriodSeconds === 'number' && p.terminationGracePeriodSeconds <= 0) {
    errs.push(FieldErrors.invalid(child(field, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateLifecycle(lifecycle: unknown, field: string): FieldError[] {
  if (!isSet(lifecycle)) return [];
  const l = asRecord(lifecycle);
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isSet(l[hook])) errs.push(...validateHandler(asRecord(l[hook]), child(field, hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return errs;
}

function validateResourceName(name: string, field: string): FieldError[] {
  const msgs = isQualifiedName(name);
  if (msgs.length) return msgs.map((m) => FieldErrors.invalid(field, name, m));
  if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
    return [FieldErrors.invalid(field, name, 'must be a standard resource for containers')];
  }
  return [];
}

export function validateResourceRequirements(resources: unknown, field: string): FieldError[] {
  const r = asRecord(resources);
  const errs: FieldError[] = [];
  const parsed: Record<'limits' | 'requests', Record<string, number>> = { limits: {}, requests: {} };
  for (const kind of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries(asRecord(r[kind]))) {
      const at = key(child(field, kind), name);
      errs.push(...validateResourceName(name, at));
      const q = parseQuantity(value);
      if (q === undefined) errs.push(FieldErrors.invalid(at, value, QUANTITY_REGEX_MSG));
      else if (q < 0) errs.push(FieldErrors.invalid(at, value, 'must be greater than or equal to 0'));
      else parsed[kind][name] = q;
    }
  }
  for (const [name, req] of Object.entries(parsed.requests)) {
    const limit = parsed.limits[name];
    if (limit !== undefined && req > limit) {
      errs.push(FieldErrors.invalid(key(child(field, 'requests'), name), asRecord(r.requests)[name], `must be less than or equal to ${name} limit of ${asRecord(r.limits)[name]}`));
    }
  }
  return errs;
}

/** One container at `field` (e.g. `spec.containers[0]`). */
export function validateContainer(container: unknown, field: string, ctx: ContainerContext): FieldError[] {
  const c = asRecord(container);
  const errs: FieldError[] = [];
  if (!isSet(c.name) || c.name === '') {
    errs.push(FieldErrors.required(child(field, 'name')));
  } else {
    for (const m of isDNS1123Label(c.name)) errs.push(FieldErrors.invalid(child(field, 'name'), c.name, m));
    if (ctx.names.has(c.name)) errs.push(FieldErrors.duplicate(child(field, 'name'), c.name));
    ctx.names.add(c.name);
  }
  if (!isSet(c.image) || c.image === '') errs.push(FieldErrors.required(child(field, 'image')));
  else if (c.image !== c.image.trim()) errs.push(FieldErrors.invalid(child(field, 'image'), c.image, 'must not have leading or trailing whitespace'));
  if (!isSet(c.imagePullPolicy) || c.imagePullPolicy === '') errs.push(FieldErrors.required(child(field, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(FieldErrors.notSupported(child(field, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (!isSet(c.terminationMessagePolicy) || c.terminationMessagePolicy === '') errs.push(FieldErrors.required(child(field, 'terminationMessagePolicy')));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(FieldErrors.notSupported(child(field, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  const sidecar = ctx.init && c.restartPolicy === 'Always';
  if (isSet(c.restartPolicy) && c.restartPolicy !== '') {
    if (!ctx.init) errs.push(FieldErrors.forbidden(child(field, 'restartPolicy'), 'may not be set for non-init containers'));
    else if (c.restartPolicy !== 'Always') errs.push(FieldErrors.notSupported(child(field, 'restartPolicy'), c.restartPolicy, ['Always']));
  }
  errs.push(...validatePorts(c.ports, child(field, 'ports')));
  errs.push(...validateEnv(c.env, child(field, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, child(field, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, child(field, 'volumeMounts'), ctx.volumes));
  errs.push(...validateResourceRequirements(c.resources, child(field, 'resources')));
  if (ctx.init && !sidecar) {
    for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (isSet(c[k])) errs.push(FieldErrors.forbidden(child(field, k), 'may not be set for init containers without restartPolicy=Always'));
    }
  } else {
    errs.push(...validateProbe(c.livenessProbe, child(field, 'livenessProbe'), true));
    errs.push(...validateProbe(c.readinessProbe, child(field, 'readinessProbe'), false));
    errs.push(...validateProbe(c.startupProbe, child(field, 'startupProbe'), true));
    errs.push(...validateLifecycle(c.lifecycle, child(field, 'lifecycle')));
  }
  return errs;
}
