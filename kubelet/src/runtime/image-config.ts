// Optional runtime capability: the image's own config (Entrypoint, Cmd, Env, WorkingDir), which
// the kubelet needs to apply Kubernetes' command/args rules (see pod/command.ts). It is not part
// of the fixed ContainerRuntime interface, so the kubelet feature-detects it:
//   - a runtime that implements imageConfig() gets fully resolved command + args;
//   - one that does not gets the pod's command/args as written (both empty = "use the image's
//     defaults"), and must itself apply the image Entrypoint/Cmd when both are empty.
// The containerd runtime reads this from the image config blob (OCI `config.Entrypoint` etc.).
// The shape matches the optional `imageConfig?()` the runtime helper adds to types.ts; once
// merged, this file may re-export that type instead of declaring its own.
import type { ContainerRuntime } from './types.js';

export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  /** `NAME=value` entries from the image. */
  env: string[];
  workingDir?: string;
  user?: string;
  stopSignal?: string;
  exposedPorts: string[];
}

export interface ImageConfigSource {
  /** The config of a locally present image, undefined when the image is absent. */
  imageConfig(ref: string): Promise<ImageConfig | undefined>;
}

export function hasImageConfig(rt: ContainerRuntime): rt is ContainerRuntime & ImageConfigSource {
  return typeof (rt as Partial<ImageConfigSource>).imageConfig === 'function';
}
