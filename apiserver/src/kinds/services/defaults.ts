// Service defaults (SetDefaults_Service plus the single-stack IP family fields upstream's
// allocator fills), and dropTypeDependentFields for updates that change the type.
import type { KubeObject } from '@k8ts/shared';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { deepEqual } from '../common/strategy-helpers.js';
import { needsClusterIP, needsHealthCheckNodePort, needsNodePorts } from './allocator.js';

type Rec = Record<string, any>;

export const DEFAULT_CLIENT_IP_TIMEOUT = 10800;

function externallyAccessible(spec: Rec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && asArray(spec.externalIPs).length > 0);
}

export function applyServiceDefaults(svc: KubeObject): void {
  if (!isSet(svc.spec) || typeof svc.spec !== 'object') svc.spec = {};
  const spec = svc.spec as Rec;
  if (!isSet(spec.sessionAffinity) || spec.sessionAffinity === '') spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg: Rec = isSet(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : (spec.sessionAffinityConfig = {});
    if (!isSet(cfg.clientIP)) cfg.clientIP = {};
    if (!isSet(cfg.clientIP.timeoutSeconds)) cfg.clientIP.timeoutSeconds = DEFAULT_CLIENT_IP_TIMEOUT;
  }
  if (!isSet(spec.type) || spec.type === '') spec.type = 'ClusterIP';
  for (const p of asArray<Rec>(spec.ports)) {
    if (!isSet(p) || typeof p !== 'object') continue;
    if (!isSet(p.protocol) || p.protocol === '') p.protocol = 'TCP';
    if (!isSet(p.targetPort) || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(spec) && (!isSet(spec.externalTrafficPolicy) || spec.externalTrafficPolicy === '')) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer' && !isSet(spec.allocateLoadBalancerNodePorts)) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type !== 'ExternalName') {
    if (!isSet(spec.internalTrafficPolicy) || spec.internalTrafficPolicy === '') spec.internalTrafficPolicy = 'Cluster';
    const ip = spec.clusterIP;
    const ips = asArray<string>(spec.clusterIPs);
    if (isSet(ip) && ip !== '' && ips.length === 0) spec.clusterIPs = [ip];
    else if ((!isSet(ip) || ip === '') && ips.length > 0) spec.clusterIP = ips[0];
    if (asArray(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
    if (!isSet(spec.ipFamilyPolicy) || spec.ipFamilyPolicy === '') spec.ipFamilyPolicy = 'SingleStack';
  }
}

const nodePortsOf = (svc: KubeObject): unknown[] => asArray(asRecord(svc.spec).ports).map((p) => asRecord(p).nodePort ?? 0);

/**
 * On a type change, fields the old type had allocated or defaulted are wiped when the user
 * left them unchanged (so `kubectl apply` from NodePort to ClusterIP just works).
 */
export function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec as Rec;
  const oldSpec = asRecord(old.spec);
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (spec.clusterIP === oldSpec.clusterIP && deepEqual(spec.clusterIPs, oldSpec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    if (spec.internalTrafficPolicy === oldSpec.internalTrafficPolicy) delete spec.internalTrafficPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(svc) && deepEqual(nodePortsOf(svc), nodePortsOf(old))) {
    for (const p of asArray<Rec>(spec.ports)) if (isSet(p) && typeof p === 'object') delete p.nodePort;
  }
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(svc) && spec.healthCheckNodePort === oldSpec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  const oldExternal = oldSpec.type === 'NodePort' || oldSpec.type === 'LoadBalancer';
  const newExternal = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (oldExternal && !newExternal && asArray(spec.externalIPs).length === 0 && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && isSet(svc.status)) svc.status.loadBalancer = {};
}

/**
 * Values a PUT/patch left empty but the stored object had allocated stay allocated
 * (upstream patchAllocatedValues): cluster IP(s) and node ports by port number.
 */
export function keepAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec as Rec;
  const oldSpec = asRecord(old.spec);
  if (needsClusterIP(svc) && needsClusterIP(old)) {
    if ((!isSet(spec.clusterIP) || spec.clusterIP === '') && isSet(oldSpec.clusterIP)) spec.clusterIP = oldSpec.clusterIP;
    if (asArray(spec.clusterIPs).length === 0 && asArray(oldSpec.clusterIPs).length > 0) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePorts(svc) && needsNodePorts(old)) {
    const oldPorts = asArray<Rec>(oldSpec.ports).map(asRecord);
    for (const p of asArray<Rec>(spec.ports)) {
      if (!isSet(p) || typeof p !== 'object' || (typeof p.nodePort === 'number' && p.nodePort > 0)) continue;
      const match = oldPorts.find((o) => o.port === p.port && typeof o.nodePort === 'number' && o.nodePort > 0);
      if (match) p.nodePort = match.nodePort;
    }
    if (needsHealthCheckNodePort(svc) && needsHealthCheckNodePort(old) && !isSet(spec.healthCheckNodePort) && isSet(oldSpec.healthCheckNodePort)) {
      spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
    }
  }
}
