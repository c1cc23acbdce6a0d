// Test fixture (used only by *.test.ts in validation/ and openapi/): small ResourceDefs and
// shared definitions shaped like upstream's pods, deployments, leases and nodes, plus a fake
// `widgets` kind in a non-k8s.io group. The $refs deliberately mix the three spellings a
// kind may use: full names, `#/components/schemas/<full name>`, and short names.
import type { JSONSchema, ResourceDef } from '../registry/types.js';

const str: JSONSchema = { type: 'string' };
const int32: JSONSchema = { type: 'integer', format: 'int32' };
const int64: JSONSchema = { type: 'integer', format: 'int64' };
const bool: JSONSchema = { type: 'boolean' };
const stringMap: JSONSchema = { type: 'object', additionalProperties: { type: 'string' } };
const quantityMap: JSONSchema = { type: 'object', additionalProperties: { $ref: 'io.k8s.apimachinery.pkg.api.resource.Quantity' } };
const mergeList = (ref: string, key: string, description: string): JSONSchema => ({
  type: 'array', description, items: { $ref: ref },
  'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key],
});

export const definitions: Record<string, JSONSchema> = {
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    description: 'A single application container.',
    required: ['name'],
    properties: {
      name: { ...str, description: 'Name of the container.' },
      image: { ...str, description: 'Container image name.' },
      imagePullPolicy: { ...str, enum: ['Always', 'IfNotPresent', 'Never'] },
      args: { type: 'array', items: str },
      ports: mergeList('io.k8s.api.core.v1.ContainerPort', 'containerPort', 'Ports to expose.'),
      env: mergeList('#/components/schemas/io.k8s.api.core.v1.EnvVar', 'name', 'Environment variables.'),
      resources: {
        type: 'object',
        properties: { limits: quantityMap, requests: quantityMap },
      },
    },
  },
  'io.k8s.api.core.v1.ContainerPort': {
    type: 'object',
    properties: { containerPort: int32, name: str, protocol: { ...str, enum: ['TCP', 'UDP', 'SCTP'] }, hostPort: int32 },
  },
  'io.k8s.api.core.v1.EnvVar': {
    type: 'object',
    properties: { name: str, value: str, valueFrom: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    description: 'The specification of a pod.',
    properties: {
      containers: mergeList('Container', 'name', 'The containers of the pod.'),
      restartPolicy: { ...str, enum: ['Always', 'OnFailure', 'Never'] },
      nodeName: str,
      nodeSelector: stringMap,
      terminationGracePeriodSeconds: int64,
      priority: int32,
      overhead: quantityMap,
    },
  },
  'io.k8s.api.core.v1.PodStatus': {
    type: 'object',
    properties: { phase: str, podIP: str, startTime: { $ref: 'Time' } },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: { metadata: { $ref: 'ObjectMeta' }, spec: { $ref: 'io.k8s.api.core.v1.PodSpec' } },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    properties: {
      replicas: int32,
      paused: bool,
      selector: { $ref: 'LabelSelector' },
      template: { $ref: 'PodTemplateSpec' },
      strategy: {
        type: 'object',
        'x-kubernetes-patch-strategy': 'retainKeys',
        properties: {
          type: str,
          rollingUpdate: {
            type: 'object',
            properties: {
              maxSurge: { $ref: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
              maxUnavailable: { 'x-kubernetes-int-or-string': true },
            },
          },
        },
      },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    type: 'object',
    properties: { replicas: int32, observedGeneration: int64, conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
  },
};

const table = { columns: [], cells: () => [] };

export const podDef: ResourceDef = {
  group: '', version: 'v1', kind: 'Pod', listKind: 'PodList', plural: 'pods', singular: 'pod',
  namespaced: true, shortNames: ['po'], categories: ['all'],
  strategy: {}, statusStrategy: {},
  extraSubresources: ['binding', 'log', 'exec', 'eviction'],
  schema: {
    type: 'object',
    description: 'Pod is a collection of containers that run on a host.',
    properties: {
      apiVersion: str, kind: str,
      metadata: { $ref: 'ObjectMeta' },
      spec: { $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' },
      status: { $ref: 'io.k8s.api.core.v1.PodStatus' },
    },
  },
  table,
};

export const deploymentDef: ResourceDef = {
  group: 'apps', version: 'v1', kind: 'Deployment', listKind: 'DeploymentList', plural: 'deployments', singular: 'deployment',
  namespaced: true, shortNames: ['deploy'], categories: ['all'],
  strategy: {}, statusStrategy: {},
  scale: { getReplicas: () => 1, setReplicas: () => undefined, statusReplicas: () => 1, selector: () => 'app=web' },
  schema: {
    type: 'object',
    properties: {
      apiVersion: str, kind: str,
      metadata: { $ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
      spec: { $ref: 'DeploymentSpec', description: 'Desired behaviour of the Deployment.' },
      status: { $ref: 'DeploymentStatus' },
    },
  },
  table,
};

export const leaseDef: ResourceDef = {
  group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', listKind: 'LeaseList', plural: 'leases', singular: 'lease',
  namespaced: true, strategy: {},
  schema: {
    type: 'object',
    properties: {
      apiVersion: str, kind: str,
      metadata: { $ref: 'ObjectMeta' },
      spec: {
        type: 'object',
        properties: {
          holderIdentity: str, leaseDurationSeconds: int32, leaseTransitions: int32,
          acquireTime: { $ref: 'MicroTime' }, renewTime: { $ref: 'MicroTime' },
        },
      },
    },
  },
  table,
};

export const nodeDef: ResourceDef = {
  group: '', version: 'v1', kind: 'Node', listKind: 'NodeList', plural: 'nodes', singular: 'node',
  namespaced: false, shortNames: ['no'], strategy: {}, statusStrategy: {},
  schema: {
    type: 'object',
    properties: {
      metadata: { $ref: 'ObjectMeta' },
      spec: { type: 'object', properties: { podCIDR: str, unschedulable: bool } },
      status: { type: 'object', properties: { capacity: quantityMap, allocatable: quantityMap } },
    },
  },
  table,
};

/** A fake kind outside *.k8s.io, with a free-form part and a map of objects. */
export const widgetDef: ResourceDef = {
  group: 'example.k8ts.dev', version: 'v1alpha1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget',
  namespaced: true, strategy: {},
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  schema: {
    type: 'object',
    properties: {
      apiVersion: str, kind: str,
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          color: { ...str, enum: ['red', 'green', 'blue'] },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          labelsLike: { type: 'object', additionalProperties: true },
          anything: { type: 'object' },
          parts: { type: 'object', additionalProperties: { type: 'object', properties: { count: int32 } } },
          secretData: { type: 'string', format: 'byte' },
          known: { type: 'object', properties: { a: str }, 'x-kubernetes-preserve-unknown-fields': true },
          port: { 'x-kubernetes-int-or-string': true },
        },
      },
    },
  },
  table,
};

export const allDefs: ResourceDef[] = [podDef, deploymentDef, leaseDef, nodeDef, widgetDef];
