export { start, type ControllerManager, type ControllerManagerOptions } from './controller-manager.js';
export { CONTROLLERS, enabledControllers } from './controllers/index.js';
export type { Controller, ControllerContext, ControllerDescriptor } from './controllers/types.js';
export { NamespaceController } from './controllers/namespace/namespace-controller.js';
export { parseControllerManagerFlags, parseDuration, FlagError } from './flags.js';
export { ReplicaSetController } from './controllers/replicaset/replica-set-controller.js';
export { REPLICA_SET, REPLICATION_CONTROLLER, type ReplicaKind } from './controllers/replicaset/replica-kind.js';
export { GarbageCollector } from './controllers/garbagecollector/garbage-collector.js';
