// Test fixture (used only by *.test.ts): small hand-written schemas shaped like the upstream
// OpenAPI for pods, deployments and services, with the patch extensions that matter, and a
// resolver for "#/components/schemas/<name>" references.
import type { JSONSchema } from '../registry/types.js';

const ref = (name: string): JSONSchema => ({ $ref: `#/components/schemas/${name}` });
const str: JSONSchema = { type: 'string' };
const int: JSONSchema = { type: 'integer' };
const stringMap: JSONSchema = { type: 'object', additionalProperties: str };
const mergeList = (item: JSONSchema, key?: string, strategy = 'merge'): JSONSchema => ({
  type: 'array', items: item, 'x-kubernetes-patch-strategy': strategy,
  ...(key ? { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key] } : { 'x-kubernetes-list-type': 'set' }),
});

export const components: Record<string, JSONSchema> = {
  ObjectMeta: {
    type: 'object',
    properties: {
      name: str, namespace: str, uid: str, resourceVersion: str, generation: int,
      labels: stringMap, annotations: stringMap,
      finalizers: mergeList(str),
      ownerReferences: mergeList(ref('OwnerReference'), 'uid'),
    },
  },
  OwnerReference: {
    type: 'object',
    properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } },
  },
  ContainerPort: { type: 'object', properties: { containerPort: int, name: str, protocol: str } },
  EnvVar: {
    type: 'object',
    properties: { name: str, value: str, valueFrom: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
  VolumeMount: { type: 'object', properties: { name: str, mountPath: str, readOnly: { type: 'boolean' } } },
  Container: {
    type: 'object',
    properties: {
      name: str, image: str,
      args: { type: 'array', items: str },
      ports: mergeList(ref('ContainerPort'), 'containerPort'),
      env: mergeList(ref('EnvVar'), 'name'),
      volumeMounts: mergeList(ref('VolumeMount'), 'mountPath'),
      resources: {
        type: 'object',
        properties: {
          limits: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
          requests: { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } },
        },
      },
    },
  },
  Volume: {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      configMap: { type: 'object', properties: { name: str } },
      secret: { type: 'object', properties: { secretName: str } },
    },
  },
  Toleration: { type: 'object', properties: { key: str, operator: str, effect: str } },
  PodSpec: {
    type: 'object',
    properties: {
      containers: mergeList(ref('Container'), 'name'),
      initContainers: mergeList(ref('Container'), 'name'),
      volumes: mergeList(ref('Volume'), 'name', 'merge,retainKeys'),
      imagePullSecrets: mergeList({ type: 'object', properties: { name: str } }, 'name'),
      tolerations: { type: 'array', items: ref('Toleration'), 'x-kubernetes-list-type': 'atomic' },
      nodeSelector: stringMap,
      restartPolicy: str,
    },
  },
  PodCondition: { type: 'object', properties: { type: str, status: str, reason: str } },
  PodStatus: {
    type: 'object',
    properties: { phase: str, conditions: mergeList(ref('PodCondition'), 'type') },
  },
  Pod: {
    type: 'object',
    properties: { apiVersion: str, kind: str, metadata: ref('ObjectMeta'), spec: ref('PodSpec'), status: ref('PodStatus') },
  },
  PodTemplateSpec: { type: 'object', properties: { metadata: ref('ObjectMeta'), spec: ref('PodSpec') } },
  DeploymentStrategy: {
    type: 'object',
    properties: { type: str, rollingUpdate: { type: 'object', properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } } } },
  },
  Deployment: {
    type: 'object',
    properties: {
      apiVersion: str, kind: str, metadata: ref('ObjectMeta'),
      spec: {
        type: 'object',
        properties: {
          replicas: int,
          paused: { type: 'boolean' },
          selector: { type: 'object', properties: { matchLabels: stringMap } },
          template: ref('PodTemplateSpec'),
          strategy: { ...ref('DeploymentStrategy'), 'x-kubernetes-patch-strategy': 'retainKeys' },
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
  ServicePort: { type: 'object', properties: { name: str, port: int, targetPort: { 'x-kubernetes-int-or-string': true }, protocol: str, nodePort: int } },
  Service: {
    type: 'object',
    properties: {
      apiVersion: str, kind: str, metadata: ref('ObjectMeta'),
      spec: {
        type: 'object',
        properties: {
          type: str, clusterIP: str, selector: stringMap,
          ports: mergeList(ref('ServicePort'), 'port'),
        },
      },
    },
  },
};

export function resolveRef(r: string): JSONSchema | undefined {
  const prefix = '#/components/schemas/';
  return r.startsWith(prefix) ? components[r.slice(prefix.length)] : undefined;
}

export const podSchema = ref('Pod');
export const deploymentSchema = ref('Deployment');
export const serviceSchema = ref('Service');

/** Freezes a value deeply, so a test fails if the code under test mutates it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
