// Runtime selection for main.ts: the real containerd runtime behind
// --container-runtime-endpoint, written by another helper (class ContainerdRuntime). It is
// imported lazily through a computed specifier, so this file compiles whether or not that
// module is present in a worktree. Looked up, in order:
//   ./containerd/index.js               (the runtime helper's layout: runtime/containerd/index.ts)
//   ./containerd/containerd-runtime.js  (the layout named in the kubelet brief)
// Options are passed under both spellings of the socket (`socket` and `address`); unknown keys
// are ignored by the runtime.
// INTEGRATION POINT: once the containerd runtime is merged, this may become a plain
// `import { ContainerdRuntime } from './containerd/index.js'` for type checking.
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

type RuntimeModule = { ContainerdRuntime?: new (o: Record<string, unknown>) => ContainerRuntime };

export async function createContainerdRuntime(opts: ContainerdRuntimeOptions): Promise<ContainerRuntime> {
  const candidates = ['./containerd/index.js', './containerd/containerd-runtime.js'];
  const errors: string[] = [];
  for (const specifier of candidates) {
    let mod: RuntimeModule;
    try {
      mod = (await import(specifier)) as RuntimeModule;
    } catch (e) {
      errors.push(`${specifier}: ${(e as Error).message}`);
      continue;
    }
    if (!mod.ContainerdRuntime) { errors.push(`${specifier} does not export ContainerdRuntime`); continue; }
    const socket = socketPath(opts.address);
    const o: Record<string, unknown> = { ...opts, address: socket, socket };
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    return new mod.ContainerdRuntime(o);
  }
  throw new Error(`the containerd runtime is not available in this build: ${errors.join('; ')}`);
}
