// Runtime selection for main.ts: the real containerd runtime behind
// --container-runtime-endpoint. The implementation lives in ./containerd/containerd-runtime.ts
// (class ContainerdRuntime, written by another helper); it is imported lazily, through a
// computed specifier, so this file compiles whether or not that module is present in a
// worktree.
// INTEGRATION POINT: once containerd/containerd-runtime.ts is merged, the specifier below may be
// replaced by a plain `await import('./containerd/containerd-runtime.js')` for type checking.
import type { ContainerRuntime } from './types.js';

export interface ContainerdRuntimeOptions {
  address: string;
  namespace: string;
  stateDir: string;
  nodeName: string;
  bridge: string;
  podCIDR: string;
}

/** `unix:///run/containerd/containerd.sock` → `/run/containerd/containerd.sock`. */
export function socketPath(endpoint: string): string {
  return endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : endpoint;
}

export async function createContainerdRuntime(opts: ContainerdRuntimeOptions): Promise<ContainerRuntime> {
  const specifier = './containerd/containerd-runtime.js';
  let mod: { ContainerdRuntime?: new (o: ContainerdRuntimeOptions) => ContainerRuntime };
  try {
    mod = await import(specifier);
  } catch (e) {
    throw new Error(`the containerd runtime is not available in this build (${specifier}): ${(e as Error).message}`);
  }
  if (!mod.ContainerdRuntime) throw new Error(`${specifier} does not export ContainerdRuntime`);
  return new mod.ContainerdRuntime({ ...opts, address: socketPath(opts.address) });
}
