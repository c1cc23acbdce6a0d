// Service validation (upstream ValidateService / ValidateServiceUpdate). Allocation
// problems (range, already allocated) are reported by the allocator during prepare.
import { FieldErrors, type FieldError, type KubeObject } from '@k8ts/shared';
import { validatePortNumOrName, PROTOCOLS } from '../common/container-validation.js';
import { asArray, asRecord, child, index, isSet } from '../common/field-path.js';
import { IP_MSG, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortNum, PORT_RANGE_MSG } from '../common/name-validation.js';
import { validateLabels, validateObjectMetaUpdate, type NameValidator } from '../common/object-meta-validation.js';

type Rec = Record<string, any>;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const MAX_CLIENT_IP_TIMEOUT = 86400;

/** Service names are DNS-1035 labels (they become DNS names and environment variables). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name);

const isHeadless = (spec: Rec): boolean => spec.clusterIP === 'None';

function validatePorts(spec: Rec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = asArray<Rec>(spec.ports).map(asRecord);
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(FieldErrors.required('spec.ports'));
  const names = new Set<string>();
  const pairs = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const at = index('spec.ports', i);
    if (ports.length > 1 && (!isSet(p.name) || p.name === '')) {
      errs.push(FieldErrors.required(child(at, 'name')));
    } else if (isSet(p.name) && p.name !== '') {
      for (const m of isDNS1123Label(p.name)) errs.push(FieldErrors.invalid(child(at, 'name'), p.name, m));
      if (names.has(p.name)) errs.push(FieldErrors.duplicate(child(at, 'name'), p.name));
      names.add(p.name);
    }
    if (!isValidPortNum(p.port)) errs.push(FieldErrors.invalid(child(at, 'port'), p.port ?? 0, PORT_RANGE_MSG));
    if (!isSet(p.protocol) || p.protocol === '') errs.push(FieldErrors.required(child(at, 'protocol')));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(FieldErrors.notSupported(child(at, 'protocol'), p.protocol, PROTOCOLS));
    errs.push(...validatePortNumOrName(p.targetPort, child(at, 'targetPort')));
    if (isSet(p.nodePort) && p.nodePort !== 0) {
      if (!isValidPortNum(p.nodePort)) errs.push(FieldErrors.invalid(child(at, 'nodePort'), p.nodePort, PORT_RANGE_MSG));
      if (spec.type === 'ClusterIP') errs.push(FieldErrors.forbidden(child(at, 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
      if (spec.type === 'ExternalName') errs.push(FieldErrors.forbidden(child(at, 'nodePort'), "may not be used when `type` is 'ExternalName'"));
      const npKey = `${p.protocol}/${p.nodePort}`;
      if (nodePorts.has(npKey)) errs.push(FieldErrors.duplicate(child(at, 'nodePort'), p.nodePort));
      nodePorts.add(npKey);
    }
    const pair = `${p.protocol}/${p.port}`;
    if (pairs.has(pair)) errs.push(FieldErrors.duplicate(at, { port: p.port, protocol: p.protocol }));
    pairs.add(pair);
  });
  return errs;
}

function validateClusterIPs(spec: Rec): FieldError[] {
  const errs: FieldError[] = [];
  const ips = asArray<string>(spec.clusterIPs);
  if (spec.type === 'ExternalName') {
    if (isSet(spec.clusterIP) && spec.clusterIP !== '') errs.push(FieldErrors.forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    if (ips.length > 0) errs.push(FieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (asArray(spec.ipFamilies).length > 0) errs.push(FieldErrors.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (isSet(spec.ipFamilyPolicy)) errs.push(FieldErrors.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    return errs;
  }
  if (ips.length > 0 && spec.clusterIP !== ips[0]) errs.push(FieldErrors.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  if (ips.length > 2) errs.push(FieldErrors.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  ips.forEach((ip, i) => {
    const at = index('spec.clusterIPs', i);
    if (ip === 'None') {
      if (i > 0 || ips.length > 1) errs.push(FieldErrors.invalid(at, ip, "'None' must be the first and only value"));
    } else if (!isIP(String(ip))) {
      errs.push(FieldErrors.invalid(at, ip, IP_MSG));
    }
  });
  if (isHeadless(spec) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(FieldErrors.invalid(index('spec.clusterIPs', 0), 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  if (isSet(spec.ipFamilyPolicy) && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(FieldErrors.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  asArray(spec.ipFamilies).forEach((f, i) => {
    if (!IP_FAMILIES.includes(f)) errs.push(FieldErrors.notSupported(index('spec.ipFamilies', i), f, IP_FAMILIES));
  });
  return errs;
}

function validateTrafficPolicies(spec: Rec): FieldError[] {
  const errs: FieldError[] = [];
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);
  const etp = spec.externalTrafficPolicy;
  if (!external) {
    if (isSet(etp) && etp !== '') errs.push(FieldErrors.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!isSet(etp) || etp === '') {
    errs.push(FieldErrors.required('spec.externalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(etp)) {
    errs.push(FieldErrors.notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  const hc = spec.healthCheckNodePort;
  const needsHC = spec.type === 'LoadBalancer' && etp === 'Local';
  if (!needsHC && isSet(hc) && hc !== 0) {
    errs.push(FieldErrors.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needsHC && isSet(hc) && !isValidPortNum(hc)) {
    errs.push(FieldErrors.invalid('spec.healthCheckNodePort', hc, PORT_RANGE_MSG));
  }
  const itp = spec.internalTrafficPolicy;
  if (spec.type === 'ExternalName') {
    if (isSet(itp) && itp !== '') errs.push(FieldErrors.invalid('spec.internalTrafficPolicy', itp, 'may not be set for ExternalName services'));
  } else if (!isSet(itp) || itp === '') {
    errs.push(FieldErrors.required('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(itp)) {
    errs.push(FieldErrors.notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  return errs;
}

export function validateServiceSpec(spec: unknown): FieldError[] {
  const s = asRecord(spec);
  const errs: FieldError[] = [];
  if (!isSet(s.type) || !SERVICE_TYPES.includes(s.type)) errs.push(FieldErrors.notSupported('spec.type', s.type ?? '', SERVICE_TYPES));
  if (s.type === 'ExternalName') {
    const cname = String(s.externalName ?? '').replace(/\.$/, '');
    if (cname === '') errs.push(FieldErrors.required('spec.externalName'));
    else for (const m of isDNS1123Subdomain(cname)) errs.push(FieldErrors.invalid('spec.externalName', cname, m));
  }
  errs.push(...validatePorts(s));
  errs.push(...validateClusterIPs(s));
  errs.push(...validateLabels(s.selector, 'spec.selector'));
  if (!isSet(s.sessionAffinity) || s.sessionAffinity === '') errs.push(FieldErrors.required('spec.sessionAffinity'));
  else if (!SESSION_AFFINITIES.includes(s.sessionAffinity)) errs.push(FieldErrors.notSupported('spec.sessionAffinity', s.sessionAffinity, SESSION_AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') {
    const t = asRecord(asRecord(s.sessionAffinityConfig).clientIP).timeoutSeconds;
    if (typeof t !== 'number' || t <= 0 || t > MAX_CLIENT_IP_TIMEOUT) {
      errs.push(FieldErrors.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t ?? 0, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
    }
  } else if (isSet(s.sessionAffinityConfig)) {
    errs.push(FieldErrors.invalid('spec.sessionAffinityConfig', s.sessionAffinityConfig, `must not be set when session affinity is ${s.sessionAffinity}`));
  }
  asArray(s.externalIPs).forEach((ip, i) => {
    if (!isIP(String(ip))) errs.push(FieldErrors.invalid(index('spec.externalIPs', i), ip, IP_MSG));
  });
  errs.push(...validateTrafficPolicies(s));
  if (isSet(s.allocateLoadBalancerNodePorts) && s.type !== 'LoadBalancer') {
    errs.push(FieldErrors.forbidden('spec.allocateLoadBalancerNodePorts', 'may only be used when `type` is \'LoadBalancer\''));
  }
  return errs;
}

export function validateService(svc: KubeObject): FieldError[] {
  return validateServiceSpec(svc.spec);
}

/** Cluster IPs may not change once set, except to/from ExternalName. */
function validateClusterIPsUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const spec = asRecord(svc.spec);
  const oldSpec = asRecord(old.spec);
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(oldSpec)) return [];
  const ips = asArray<string>(spec.clusterIPs);
  const oldIPs = asArray<string>(oldSpec.clusterIPs);
  const errs: FieldError[] = [];
  if (ips.length === 0 && oldIPs.length > 0) return [FieldErrors.invalid(index('spec.clusterIPs', 0), ips, 'primary clusterIP can not be unset')];
  oldIPs.forEach((ip, i) => {
    if (i < ips.length && ips[i] !== ip) errs.push(FieldErrors.invalid(index('spec.clusterIPs', i), ips, 'may not change once set'));
  });
  return errs;
}

/** Update-only rules (the store runs validateService as well). */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  return [...validateObjectMetaUpdate(svc, old), ...validateClusterIPsUpdate(svc, old)];
}

export function validateServiceStatus(svc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(asRecord(asRecord(svc.status).loadBalancer).ingress).forEach((raw, i) => {
    const ing = asRecord(raw);
    const at = index('status.loadBalancer.ingress', i);
    if (isSet(ing.ip) && ing.ip !== '' && !isIP(ing.ip)) errs.push(FieldErrors.invalid(child(at, 'ip'), ing.ip, IP_MSG));
    if (isSet(ing.hostname) && ing.hostname !== '') {
      for (const m of isDNS1123Subdomain(ing.hostname)) errs.push(FieldErrors.invalid(child(at, 'hostname'), ing.hostname, m));
    }
  });
  return errs;
}
