export * from './runtime/types.js';
export * from './runtime/labels.js';
export { hasImageConfig, type ImageConfigSource } from './runtime/image-config.js';
export { start, type Kubelet, type KubeletOptions } from './kubelet.js';
export type { KubeletContext } from './context.js';
