// What the kubelet's parts share: one object built by kubelet.ts, passed to the pod workers,
// the node status loop and the server wiring point. Read-only after start, except `runtime`
// health, which the node status loop owns.
import type { ApiClient, Clock, EventRecorder, Logger } from '@k8ts/shared';
import type { DnsSettings } from './pod/dns.js';
import type { ContainerRuntime } from './runtime/types.js';

export interface KubeletContext {
  nodeName: string;
  rootDir: string;
  runtime: ContainerRuntime;
  client: ApiClient;
  recorder: EventRecorder;
  logger: Logger;
  clock: Clock;
  dns: DnsSettings;
  /** The node's InternalIP (status.hostIP of every pod). */
  nodeIP: string;
  nodeAllocatable: { cpu: number; memoryBytes: number };
}
