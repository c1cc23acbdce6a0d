// Validation of a PodSpec (upstream ValidatePodSpec) and of a PodTemplateSpec
// (ValidatePodTemplateSpec). Runs after defaulting, so required defaulted fields
// (restartPolicy, dnsPolicy, imagePullPolicy, port protocol...) are reported if still empty.
import { FieldErrors, type FieldError } from '@k8ts/shared';
import { validateContainer, type ContainerContext } from './container-validation.js';
import { asArray, asRecord, child, index, isSet } from './field-path.js';
import { IP_MSG, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidLabelValue } from './name-validation.js';
import { validateAnnotations, validateLabels } from './object-meta-validation.js';
import { validateVolumes } from './volume-validation.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(tolerations).forEach((raw, i) => {
    const t = asRecord(raw);
    const at = index(field, i);
    const k = typeof t.key === 'string' ? t.key : '';
    if (k !== '') for (const m of isQualifiedName(k)) errs.push(FieldErrors.invalid(child(at, 'key'), k, m));
    const op = isSet(t.operator) && t.operator !== '' ? t.operator : 'Equal';
    if (k === '' && op !== 'Exists') {
      errs.push(FieldErrors.invalid(child(at, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(t.tolerationSeconds) && t.effect !== 'NoExecute') {
      errs.push(FieldErrors.invalid(child(at, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal') {
      if (typeof t.value === 'string') for (const m of isValidLabelValue(t.value)) errs.push(FieldErrors.invalid(child(at, 'value'), t.value, m));
    } else if (op === 'Exists') {
      if (isSet(t.value) && t.value !== '') errs.push(FieldErrors.invalid(child(at, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(FieldErrors.notSupported(child(at, 'operator'), op, TOLERATION_OPERATORS));
    }
    if (isSet(t.effect) && t.effect !== '' && !TAINT_EFFECTS.includes(t.effect)) {
      errs.push(FieldErrors.notSupported(child(at, 'effect'), t.effect, TAINT_EFFECTS));
    }
  });
  return errs;
}

function validateDNSConfig(spec: Record<string, any>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.dnsPolicy === 'None' && !isSet(spec.dnsConfig)) {
    errs.push(FieldErrors.required(child(field, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (!isSet(spec.dnsConfig)) return errs;
  const cfg = asRecord(spec.dnsConfig);
  const at = child(field, 'dnsConfig');
  const ns = asArray<string>(cfg.nameservers);
  if (spec.dnsPolicy === 'None' && ns.length === 0) errs.push(FieldErrors.required(child(at, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  if (ns.length > 3) errs.push(FieldErrors.invalid(child(at, 'nameservers'), ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => { if (!isIP(String(n))) errs.push(FieldErrors.invalid(index(child(at, 'nameservers'), i), n, IP_MSG)); });
  asArray(cfg.options).forEach((o, i) => {
    if (!isSet(asRecord(o).name) || asRecord(o).name === '') errs.push(FieldErrors.required(child(index(child(at, 'options'), i), 'name')));
  });
  return errs;
}

/** Validates a PodSpec found at `field` (`spec` for pods, `spec.template.spec` for workloads). */
export function validatePodSpec(spec: unknown, field: string): FieldError[] {
  if (!isSet(spec)) return [FieldErrors.required(field)];
  const s = asRecord(spec);
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  errs.push(...validateVolumes(s.volumes, child(field, 'volumes'), volumes));

  const ctx: ContainerContext = { volumes, names: new Set<string>(), init: true };
  asArray(s.initContainers).forEach((c, i) => errs.push(...validateContainer(c, index(child(field, 'initContainers'), i), ctx)));
  const containers = asArray(s.containers);
  if (containers.length === 0) errs.push(FieldErrors.required(child(field, 'containers')));
  const regular: ContainerContext = { ...ctx, init: false };
  containers.forEach((c, i) => errs.push(...validateContainer(c, index(child(field, 'containers'), i), regular)));

  if (!isSet(s.restartPolicy) || s.restartPolicy === '') errs.push(FieldErrors.required(child(field, 'restartPolicy')));
  else if (!RESTART_POLICIES.includes(s.restartPolicy)) errs.push(FieldErrors.notSupported(child(field, 'restartPolicy'), s.restartPolicy, RESTART_POLICIES));
  if (!isSet(s.dnsPolicy) || s.dnsPolicy === '') errs.push(FieldErrors.required(child(field, 'dnsPolicy')));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) errs.push(FieldErrors.notSupported(child(field, 'dnsPolicy'), s.dnsPolicy, DNS_POLICIES));
  errs.push(...validateDNSConfig(s, field));

  errs.push(...validateLabels(s.nodeSelector, child(field, 'nodeSelector')));
  for (const f of ['serviceAccountName', 'nodeName', 'priorityClassName']) {
    if (typeof s[f] === 'string' && s[f] !== '') for (const m of isDNS1123Subdomain(s[f])) errs.push(FieldErrors.invalid(child(field, f), s[f], m));
  }
  for (const f of ['hostname', 'subdomain']) {
    if (typeof s[f] === 'string' && s[f] !== '') for (const m of isDNS1123Label(s[f])) errs.push(FieldErrors.invalid(child(field, f), s[f], m));
  }
  if (isSet(s.activeDeadlineSeconds) && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(FieldErrors.invalid(child(field, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  errs.push(...validateTolerations(s.tolerations, child(field, 'tolerations')));
  if (s.hostNetwork === true) {
    containers.forEach((c, i) => asArray(asRecord(c).ports).forEach((p, j) => {
      const port = asRecord(p);
      if (isSet(port.hostPort) && port.hostPort !== port.containerPort) {
        errs.push(FieldErrors.invalid(child(index(child(index(child(field, 'containers'), i), 'ports'), j), 'hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }));
  }
  asArray(s.hostAliases).forEach((h, i) => {
    const ip = asRecord(h).ip;
    if (!isIP(String(ip ?? ''))) errs.push(FieldErrors.invalid(child(index(child(field, 'hostAliases'), i), 'ip'), ip ?? '', IP_MSG));
  });
  asArray(s.readinessGates).forEach((g, i) => {
    const t = String(asRecord(g).conditionType ?? '');
    for (const m of isQualifiedName(t)) errs.push(FieldErrors.invalid(child(index(child(field, 'readinessGates'), i), 'conditionType'), t, m));
  });
  if (isSet(s.os) && !['linux', 'windows'].includes(asRecord(s.os).name)) {
    errs.push(FieldErrors.notSupported(child(field, 'os', 'name'), asRecord(s.os).name ?? '', ['linux', 'windows']));
  }
  return errs;
}

/** A PodTemplateSpec at `field` (e.g. `spec.template`): its labels, annotations and spec. */
export function validatePodTemplateSpec(template: unknown, field: string): FieldError[] {
  if (!isSet(template)) return [FieldErrors.required(field)];
  const t = asRecord(template);
  const meta = asRecord(t.metadata);
  return [
    ...validateLabels(meta.labels, child(field, 'metadata', 'labels')),
    ...validateAnnotations(meta.annotations, child(field, 'metadata', 'annotations')),
    ...validatePodSpec(t.spec, child(field, 'spec')),
  ];
}
