// Programmatic entry points of the launcher (tests, e2e helpers). The CLI is main.ts.
export { up } from './commands/up.js';
export { down } from './commands/down.js';
export { status, collectStatus, type ComponentStatus } from './commands/status.js';
export { componentTable, type ComponentSpec, type ComponentContext } from './components.js';
export { stateLayout, type StateLayout } from './state-layout.js';
export { DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from './cluster-config.js';
export type { CommandOptions } from './command-context.js';
