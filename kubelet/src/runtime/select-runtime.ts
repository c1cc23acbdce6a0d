// Runtime selection for main.ts: the real containerd runtime behind
// --container-runtime-endpoint (runtime/containerd/). The in-memory FakeRuntime is for tests
// only and is never selected here.
import { ContainerdRuntime } from './containerd/index.js';
import type { ContainerRuntime } from './types.js';

export interface ContainerdRuntimeOptions {
  address: string;
  namespace?: string;
  stateDir: string;
  nodeName: string;
  bridge?: string;
  podCIDR: string;
  clusterCIDR?: string;
  serviceCIDR?: string;
}

/** `unix:///run/containerd/containerd.sock` → `/run/containerd/containerd.sock`. */
export function socketPath(endpoint: string): string {
  return endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : endpoint;
}

export async function createContainerdRuntime(opts: ContainerdRuntimeOptions): Promise<ContainerRuntime> {
  return new ContainerdRuntime({
    socket: socketPath(opts.address),
    nodeName: opts.nodeName,
    stateDir: opts.stateDir,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.bridge ? { bridge: opts.bridge } : {}),
    ...(opts.podCIDR ? { podCIDR: opts.podCIDR } : {}),
    ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}),
    ...(opts.serviceCIDR ? { serviceCIDR: opts.serviceCIDR } : {}),
  });
}
