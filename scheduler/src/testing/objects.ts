// Test helpers: Node and Pod objects as the scheduler sees them, created through the real
// API (a Node's status — allocatable, Ready — goes through the nodes/status subresource, as
// a kubelet would write it).
import type { ApiClient, KubeObject } from '@k8ts/shared';
import { Resources } from '@k8ts/shared';

export interface NodeSpecOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | null;
}

export function nodeObject(name: string, o: NodeSpecOpts = {}): KubeObject {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: alloc, allocatable: alloc,
      conditions: o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady', message: 'simulated', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
    },
  };
}

/** Creates the node, then writes its status through nodes/status. */
export async function createNode(client: ApiClient, name: string, o: NodeSpecOpts = {}): Promise<KubeObject> {
  const obj = nodeObject(name, o);
  await client.create(Resources.nodes, obj);
  return client.patch(Resources.nodes, undefined, name, { status: obj.status }, 'merge', 'status');
}

export interface PodSpecOpts {
  cpu?: string;
  memory?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  hostPort?: number;
  schedulerName?: string;
  ownerUid?: string;
  affinity?: Record<string, unknown>;
}

export function podObject(name: string, o: PodSpecOpts = {}, namespace = 'default'): KubeObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, namespace,
      ...(o.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: o.ownerUid, controller: true }] } : {}),
    },
    spec: {
      containers: [{
        name: 'c', image: 'busybox',
        ...(Object.keys(requests).length ? { resources: { requests } } : {}),
        ...(o.hostPort ? { ports: [{ containerPort: 80, hostPort: o.hostPort }] } : {}),
      }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
    },
  };
}

export async function createPod(client: ApiClient, name: string, o: PodSpecOpts = {}, namespace = 'default'): Promise<KubeObject> {
  return client.create(Resources.pods, podObject(name, o, namespace));
}
