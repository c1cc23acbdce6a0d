export { ContainerdRuntime, DEFAULT_LOGGER_PATH, type ContainerdRuntimeOptions } from './runtime.js';
export * from './containerd-config.js';
export { ContainerdClient } from './grpc-client.js';
