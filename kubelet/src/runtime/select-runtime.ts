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

/** The runtime for the node; its bridge, routes and guards are set up in the background right
 *  away (not by the node's first pod, which would wait for them). */
export async function createContainerdRuntime(opts: ContainerdRuntimeOptions): Promise<ContainerRuntime> {
  const rt = new ContainerdRuntime({
    socket: socketPath(opts.address),
    nodeName: opts.nodeName,
    stateDir: opts.stateDir,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.bridge ? { bridge: opts.bridge } : {}),
    ...(opts.podCIDR ? { podCIDR: opts.podCIDR } : {}),
    ...(opts.clusterCIDR ? { clusterCIDR: opts.clusterCIDR } : {}),
    ...(opts.serviceCIDR ? { serviceCIDR: opts.serviceCIDR } : {}),
  });
  rt.prepareNodeNetwork();
  return rt;
}
