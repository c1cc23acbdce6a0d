// The controller-manager process: a health server, leader election on the Lease
// kube-system/kube-controller-manager, and, while leading, the enabled controllers over one
// set of shared informers.
//
// Contract:
// - start() resolves once the health server listens; campaigning (or, with leaderElect
//   false, the controllers) starts in the background and retries API errors forever.
// - Each leadership term gets fresh informers and controllers; when it ends (lost or
//   close()), controllers stop and their informers stop before the lease is released or
//   re-contested, so two terms never overlap.
// - /healthz and /livez fail only when this process leads but has not renewed its lease for
//   leaseDuration + 20 s (upstream's leader-election watchdog); /readyz is ok while running.
// - close() stops the controllers, releases the lease (the standby takes over at its next
//   retry), stops the health server and closes the API client. Idempotent.
import {
  ApiClient, createLogger, EventRecorder, InformerFactory, defaultLeaderIdentity, runLeaderTerms, startHealthServer,
  type ClusterConnection, type HealthServer, type LeaderTerms, type Logger,
} from '@k8ts/shared';
import { CONTROLLERS, enabledControllers } from './controllers/index.js';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerDescriptor, type ControllerOptions } from './controllers/types.js';


export interface ControllerManagerOptions {
  connection: ClusterConnection;
  logger?: Logger;
  /** --leader-elect; default true. */
  leaderElect?: boolean;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Lease namespace and name; default kube-system / kube-controller-manager. */
  leaderElectionNamespace?: string;
  leaderElectionName?: string;
  /** Default hostname_uuid. */
  identity?: string;
  /** --controllers; default ['*']. */
  controllers?: string[];
  /** Health port; default 10257; 0 picks a free one; null serves none. */
  port?: number | null;
  bindAddress?: string;
  concurrentNamespaceSyncs?: number;
  /** Per-controller settings (flags such as --node-monitor-grace-period); defaults as upstream. */
  controllerOptions?: Partial<ControllerOptions>;
  /** --concurrent-resource-quota-syncs; default 5. */
  concurrentResourceQuotaSyncs?: number;
  /** --resource-quota-sync-period; default 5 min. */
  resourceQuotaSyncPeriodMs?: number;
  /** Informer resync period; default 5 min (upstream's namespace controller resync). */
  resyncMs?: number;
}

export interface ControllerManager {
  /** The health port (0 when none is served). */
  healthPort: number;
  identity: string;
  /** True while the controllers run (always after start when leader election is off). */
  isLeader(): boolean;
  /** Names of the enabled controllers. */
  controllers: string[];
  close(): Promise<void>;
}

export async function start(opts: ControllerManagerOptions): Promise<ControllerManager> {
  const log = opts.logger ?? createLogger('controller-manager');
  const enabled = enabledControllers(opts.controllers ?? ['*'], CONTROLLERS);
  const identity = opts.identity ?? defaultLeaderIdentity();
  const client = new ApiClient(opts.connection, { userAgent: 'k8ts-controller-manager/0.1.0' });
  // the Lease has a client of its own: renewals never queue behind the controllers' requests
  // (a namespace or garbage-collection sweep can queue hundreds on the shared connections)
  const leaseClient = new ApiClient(opts.connection, { userAgent: 'k8ts-controller-manager/0.1.0 leader-election', maxConnections: 1 });
  const controllerOptions: ControllerOptions = {
    ...DEFAULT_CONTROLLER_OPTIONS,
    ...Object.fromEntries(Object.entries(opts.controllerOptions ?? {}).filter(([, v]) => v !== undefined)),
  };
  if (opts.concurrentNamespaceSyncs !== undefined) controllerOptions.concurrentNamespaceSyncs = opts.concurrentNamespaceSyncs;
  if (opts.concurrentResourceQuotaSyncs !== undefined) controllerOptions.concurrentResourceQuotaSyncs = opts.concurrentResourceQuotaSyncs;
  if (opts.resourceQuotaSyncPeriodMs !== undefined) controllerOptions.resourceQuotaSyncPeriodMs = opts.resourceQuotaSyncPeriodMs;
  const runTerm = (signal: AbortSignal): Promise<void> =>
    runControllers({ client, log, enabled, options: controllerOptions, resyncMs: opts.resyncMs ?? 300_000, signal });

  let terms: LeaderTerms | undefined;
  let health: HealthServer | undefined;
  let closing: Promise<void> | undefined;
  try {
    if (opts.port !== null) {
      health = await startHealthServer({
        port: opts.port ?? 10257,
        host: opts.bindAddress ?? '127.0.0.1',
        checks: {
          healthz: () => terms?.healthy() ?? true,
          readyz: () => !closing,
        },
      });
    }
  } catch (e) {
    await client.close();
    await leaseClient.close();
    throw e;
  }

  log.info({ identity, controllers: enabled.map((c) => c.name), leaderElect: opts.leaderElect !== false, healthPort: health?.port }, 'controller-manager starting');
  terms = runLeaderTerms({
    client: leaseClient, identity, logger: log, leaderElect: opts.leaderElect !== false,
    namespace: opts.leaderElectionNamespace ?? 'kube-system',
    name: opts.leaderElectionName ?? 'kube-controller-manager',
    leaseDurationMs: opts.leaseDurationMs, renewDeadlineMs: opts.renewDeadlineMs, retryPeriodMs: opts.retryPeriodMs,
    runTerm, stoppedMessage: 'controllers stopped',
  });
  const running = terms;

  return {
    healthPort: health?.port ?? 0,
    identity,
    controllers: enabled.map((c) => c.name),
    isLeader: () => running.isLeader(),
    close: () => (closing ??= (async () => {
      await running.stop();
      await health?.close();
      await client.close();
      await leaseClient.close();
      log.info('controller-manager stopped');
    })()),
  };
}

/** One leadership term: builds the controllers, runs them until `signal` aborts. Never rejects. */
async function runControllers(args: {
  client: ApiClient; log: Logger; enabled: ControllerDescriptor[]; options: ControllerOptions; resyncMs: number; signal: AbortSignal;
}): Promise<void> {
  const { client, log, signal } = args;
  const informers = new InformerFactory({ client, logger: log, resyncMs: args.resyncMs });
  const recorders = new Map<string, EventRecorder>();
  const recorder = (component: string): EventRecorder => {
    let r = recorders.get(component);
    if (!r) recorders.set(component, r = new EventRecorder({ client, source: { component }, logger: log }));
    return r;
  };
  const running: Promise<void>[] = [];
  try {
    for (const d of args.enabled) {
      const c = d.init({ client, informers, logger: log, options: args.options, recorder });
      running.push(c.run(signal).catch((e) => log.error({ err: e, controller: d.name }, 'controller failed')));
    }
    informers.start();
    log.info({ controllers: args.enabled.map((c) => c.name) }, 'started controllers');
    await Promise.all(running);
  } catch (e) {
    log.error({ err: e }, 'failed to start controllers');
  } finally {
    await Promise.all(running);
    await informers.stop();
    await Promise.all([...recorders.values()].map((r) => r.close()));
  }
}
