// Field tables for the protobuf messages typed clients send (k8s.io/api generated.proto):
// what `kubectl create namespace|configmap|secret|deployment|service|quota` (kubectl ≥ 1.32,
// client-go PR #125314) and `kubectl run` put in a body. Field numbers are upstream's.
//
// Field spec: [jsonName, type, flags]; type is a scalar ('string' 'int32' 'int64' 'bool'
// 'bytes'), a special ('Quantity' → its string, 'IntOrString', 'Time' → RFC 3339), a
// message name, 'map:<value type>' (map<string, V>), or 'skip' (read-only status: dropped).
// Flags: 'r' repeated, 'p' pointer in Go (present on the wire only when set, so a zero value
// is kept; non-pointer fields are always on the wire and a zero value means "unset").
// Not listed fields: dropped when their value is empty/zero, refused (415) otherwise, so
// nothing a client set is ever lost silently.

export type FieldSpec = [name: string, type: string, flags?: string];
export type MessageSpec = Record<number, FieldSpec>;

const objectMeta: MessageSpec = {
  1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 4: ['selfLink', 'string'],
  5: ['uid', 'string'], 6: ['resourceVersion', 'string'], 7: ['generation', 'int64'], 8: ['creationTimestamp', 'Time'],
  9: ['deletionTimestamp', 'Time'], 10: ['deletionGracePeriodSeconds', 'int64', 'p'], 11: ['labels', 'map:string'],
  12: ['annotations', 'map:string'], 13: ['ownerReferences', 'OwnerReference', 'r'], 14: ['finalizers', 'string', 'r'],
};

export const MESSAGES: Record<string, MessageSpec> = {
  Unknown: { 1: ['typeMeta', 'TypeMeta'], 2: ['raw', 'bytes'], 3: ['contentEncoding', 'string'], 4: ['contentType', 'string'] },
  TypeMeta: { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] },
  ObjectMeta: objectMeta,
  OwnerReference: {
    1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'],
    6: ['controller', 'bool', 'p'], 7: ['blockOwnerDeletion', 'bool', 'p'],
  },
  LabelSelector: { 1: ['matchLabels', 'map:string'], 2: ['matchExpressions', 'LabelSelectorRequirement', 'r'] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', 'r'] },

  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'], 3: ['status', 'skip'] },
  NamespaceSpec: { 1: ['finalizers', 'string', 'r'] },

  ConfigMap: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'map:string'], 3: ['binaryData', 'map:bytes'], 4: ['immutable', 'bool', 'p'] },
  Secret: {
    1: ['metadata', 'ObjectMeta'], 2: ['data', 'map:bytes'], 3: ['type', 'string'], 4: ['stringData', 'map:string'], 5: ['immutable', 'bool', 'p'],
  },

  ResourceQuota: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ResourceQuotaSpec'], 3: ['status', 'skip'] },
  ResourceQuotaSpec: { 1: ['hard', 'map:Quantity'], 2: ['scopes', 'string', 'r'], 3: ['scopeSelector', 'ScopeSelector'] },
  ScopeSelector: { 1: ['matchExpressions', 'ScopedResourceSelectorRequirement', 'r'] },
  ScopedResourceSelectorRequirement: { 1: ['scopeName', 'string'], 2: ['operator', 'string'], 3: ['values', 'string', 'r'] },

  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'], 3: ['status', 'skip'] },
  ServiceSpec: {
    1: ['ports', 'ServicePort', 'r'], 2: ['selector', 'map:string'], 3: ['clusterIP', 'string'], 4: ['type', 'string'],
    5: ['externalIPs', 'string', 'r'], 7: ['sessionAffinity', 'string'], 8: ['loadBalancerIP', 'string'],
    9: ['loadBalancerSourceRanges', 'string', 'r'], 10: ['externalName', 'string'], 11: ['externalTrafficPolicy', 'string'],
    12: ['healthCheckNodePort', 'int32'], 13: ['publishNotReadyAddresses', 'bool'], 18: ['clusterIPs', 'string', 'r'],
    19: ['ipFamilies', 'string', 'r'], 20: ['ipFamilyPolicy', 'string', 'p'], 21: ['allocateLoadBalancerNodePorts', 'bool', 'p'],
    22: ['loadBalancerClass', 'string', 'p'], 23: ['internalTrafficPolicy', 'string', 'p'],
  },
  ServicePort: {
    1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int32'], 4: ['targetPort', 'IntOrString'], 5: ['nodePort', 'int32'],
    6: ['appProtocol', 'string', 'p'],
  },

  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'], 3: ['status', 'skip'] },
  DeploymentSpec: {
    1: ['replicas', 'int32', 'p'], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', 'int32'], 6: ['revisionHistoryLimit', 'int32', 'p'], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int32', 'p'],
  },
  DeploymentStrategy: { 1: ['type', 'string'], 2: ['rollingUpdate', 'RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'IntOrString'], 2: ['maxSurge', 'IntOrString'] },

  Pod: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'], 3: ['status', 'skip'] },
  Binding: { 1: ['metadata', 'ObjectMeta'], 2: ['target', 'ObjectReference'] },
  ObjectReference: {
    1: ['kind', 'string'], 2: ['namespace', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'],
    6: ['resourceVersion', 'string'], 7: ['fieldPath', 'string'],
  },
  // spec.replicas is not a pointer in Go, but 0 is meaningful: 'p' keeps it
  Scale: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ScaleSpec'], 3: ['status', 'skip'] },
  ScaleSpec: { 1: ['replicas', 'int32', 'p'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: {
    2: ['containers', 'Container', 'r'], 3: ['restartPolicy', 'string'], 4: ['terminationGracePeriodSeconds', 'int64', 'p'],
    5: ['activeDeadlineSeconds', 'int64', 'p'], 6: ['dnsPolicy', 'string'], 7: ['nodeSelector', 'map:string'],
    8: ['serviceAccountName', 'string'], 9: ['serviceAccount', 'string'], 10: ['nodeName', 'string'], 11: ['hostNetwork', 'bool'],
    12: ['hostPID', 'bool'], 13: ['hostIPC', 'bool'], 15: ['imagePullSecrets', 'LocalObjectReference', 'r'], 16: ['hostname', 'string'],
    17: ['subdomain', 'string'], 19: ['schedulerName', 'string'], 20: ['initContainers', 'Container', 'r'],
    21: ['automountServiceAccountToken', 'bool', 'p'], 22: ['tolerations', 'Toleration', 'r'], 24: ['priorityClassName', 'string'],
    25: ['priority', 'int32', 'p'], 30: ['enableServiceLinks', 'bool', 'p'], 31: ['preemptionPolicy', 'string', 'p'],
  },
  LocalObjectReference: { 1: ['name', 'string'] },
  Toleration: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['value', 'string'], 4: ['effect', 'string'], 5: ['tolerationSeconds', 'int64', 'p'] },
  Container: {
    1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', 'string', 'r'], 4: ['args', 'string', 'r'], 5: ['workingDir', 'string'],
    6: ['ports', 'ContainerPort', 'r'], 7: ['env', 'EnvVar', 'r'], 8: ['resources', 'ResourceRequirements'],
    13: ['terminationMessagePath', 'string'], 14: ['imagePullPolicy', 'string'], 16: ['stdin', 'bool'], 17: ['stdinOnce', 'bool'],
    18: ['tty', 'bool'], 20: ['terminationMessagePolicy', 'string'],
  },
  ContainerPort: { 1: ['name', 'string'], 2: ['hostPort', 'int32'], 3: ['containerPort', 'int32'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  ResourceRequirements: { 1: ['limits', 'map:Quantity'], 2: ['requests', 'map:Quantity'] },
};

/** Top-level kinds a protobuf body may carry, by apiVersion/kind. */
export const TOP_LEVEL: Record<string, string> = {
  'v1/Namespace': 'Namespace', 'v1/ConfigMap': 'ConfigMap', 'v1/Secret': 'Secret', 'v1/Service': 'Service',
  'v1/ResourceQuota': 'ResourceQuota', 'v1/Pod': 'Pod', 'apps/v1/Deployment': 'Deployment', 'v1/Binding': 'Binding',
  'autoscaling/v1/Scale': 'Scale',
};
