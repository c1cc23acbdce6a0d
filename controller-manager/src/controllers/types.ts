// What every controller gets and gives. A controller is built (registering its informers
// with the shared factory) before the factory starts, then run() until the signal aborts.
import type { ApiClient, EventRecorder, Logger } from '@k8ts/shared';
import type { InformerFactory } from '@k8ts/shared';

export interface ControllerOptions {
  /** --concurrent-namespace-syncs */
  concurrentNamespaceSyncs: number;
  /** --concurrent-resource-quota-syncs (5) */
  concurrentResourceQuotaSyncs?: number;
  /** --resource-quota-sync-period (5m) */
  resourceQuotaSyncPeriodMs?: number;
}

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  options: ControllerOptions;
  /** An event recorder with source.component = `component` (e.g. `replicaset-controller`); one per component per term. */
  recorder(component: string): EventRecorder;
}

export interface Controller {
  readonly name: string;
  /**
   * Waits for its informers, then works until `signal` aborts; resolves once its workers have
   * finished (in-flight reconciles see the same signal). Never rejects.
   */
  run(signal: AbortSignal): Promise<void>;
}

export interface ControllerDescriptor {
  name: string;
  /** Enabled when --controllers contains `*` (upstream's "on by default"). */
  enabledByDefault: boolean;
  init(ctx: ControllerContext): Controller;
}
