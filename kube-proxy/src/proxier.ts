// The kube-proxy process body: Services + Endpoints informers → model → rendered rules →
// one atomic apply, driven by SyncRunner; health and metrics on one plain-HTTP port.
//
// Contract:
// - Every sync renders the complete rule set from the informers' current contents (no
//   incremental diffs), so a missed event can never leave a wrong rule behind for longer
//   than one sync period.
// - Nothing is applied before both informers have synced (an empty rule set would otherwise
//   REJECT nothing and drop every existing service rule for a moment).
// - /healthz is 200 with {lastUpdated, currentTime} while the last successful sync is newer
//   than 2 × syncPeriod or nothing is pending; 503 otherwise. /readyz: informers synced and
//   one sync done. /metrics: see metrics.ts.
// - close() stops informers, the runner and the health server; the rules stay in the
//   kernel (as upstream: a restarting kube-proxy must not blackhole traffic).
import {
  ApiClient, Informer, Resources, createLogger, startHealthServer,
  type ClusterConnection, type HealthServer, type KubeObject, type Logger,
} from '@k8ts/shared';
import { RuleApplier } from './iptables/apply.js';
import type { IptablesRunner } from './iptables/run.js';
import { ProxyMetrics } from './metrics.js';
import { buildServiceModel } from './rules/service-model.js';
import { SyncRunner } from './sync-runner.js';

export interface KubeProxyOptions {
  connection: ClusterConnection;
  logger?: Logger;
  nodeName?: string;
  clusterCIDR?: string;
  /** --iptables-min-sync-period; default 250 ms (see README: upstream's 1 s is for big clusters). */
  minSyncPeriodMs?: number;
  /** --iptables-sync-period; default 30 s. */
  syncPeriodMs?: number;
  /** Health + metrics port (--healthz-bind-address port, default 10256); 0 = any; null = none. */
  healthPort?: number | null;
  bindAddress?: string;
  /** Run iptables inside a network namespace (tests, compose nodes use their own netns anyway). */
  iptables?: IptablesRunner;
}

export interface KubeProxy {
  healthPort: number;
  metrics: ProxyMetrics;
  /** Resolves after the next successful sync that started after this call. */
  synced(): Promise<void>;
  close(): Promise<void>;
}

const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

export async function startKubeProxy(opts: KubeProxyOptions): Promise<KubeProxy> {
  const log = opts.logger ?? createLogger('kube-proxy');
  const client = new ApiClient(opts.connection, { userAgent: 'k8ts-kube-proxy/0.1.0' });
  const services = new Informer<KubeObject>({ client, ref: Resources.services, logger: log });
  const endpoints = new Informer<KubeObject>({ client, ref: Resources.endpoints, logger: log });
  const applier = new RuleApplier(opts.iptables ?? {});
  const metrics = new ProxyMetrics();
  const syncPeriodMs = opts.syncPeriodMs ?? 30_000;
  const clusterCIDR = opts.clusterCIDR ?? '10.244.0.0/16';
  let lastSuccess = 0;
  let pendingSince = 0;
  let waiters: { after: number; resolve: () => void }[] = [];
  /** Endpoints trigger times seen since the last sync (for the programming-latency metric). */
  let triggers: number[] = [];

  const sync = async (full: boolean): Promise<void> => {
    if (!services.hasSynced() || !endpoints.hasSynced()) return;
    const started = Date.now();
    const batch = triggers;
    triggers = [];
    pendingSince = 0;
    if (full) applier.invalidate();
    const model = buildServiceModel(services.list(), endpoints.list());
    for (const s of model.skipped) log.warn(s, 'service port skipped');
    try {
      const rendered = await applier.apply(model.rules, { clusterCIDR });
      const done = Date.now();
      lastSuccess = done;
      metrics.syncs++;
      metrics.lastSyncTimestamp = done / 1000;
      metrics.lastSyncDurationSeconds = (done - started) / 1000;
      metrics.rulesServices = rendered.counts.services;
      metrics.rulesEndpoints = rendered.counts.endpoints;
      for (const t of batch) metrics.observeProgramming(Math.max(0, done - t) / 1000);
      log.debug({ ms: done - started, ...rendered.counts }, 'rules synced');
      const ready = waiters.filter((w) => w.after <= started);
      waiters = waiters.filter((w) => w.after > started);
      for (const w of ready) w.resolve();
    } catch (e) {
      metrics.syncFailures++;
      triggers.push(...batch);
      throw e;
    }
  };
  const runner = new SyncRunner({ minIntervalMs: opts.minSyncPeriodMs ?? 250, maxIntervalMs: syncPeriodMs, retryMs: 1000, logger: log, sync });
  const changed = (): void => {
    if (!pendingSince) pendingSince = Date.now();
    runner.request();
  };
  const noteTrigger = (ep: KubeObject): void => {
    const t = Date.parse(ep.metadata.annotations?.[TRIGGER] ?? '');
    triggers.push(Number.isFinite(t) ? t : Date.now());
  };
  services.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  endpoints.addEventHandler({
    onAdd: (ep) => { noteTrigger(ep); changed(); },
    onUpdate: (_o, ep) => { noteTrigger(ep); changed(); },
    onDelete: changed,
  });

  let health: HealthServer | undefined;
  const healthy = () => lastSuccess > 0 && (Date.now() - lastSuccess < 2 * syncPeriodMs || (!pendingSince));
  if (opts.healthPort !== null) {
    health = await startHealthServer({
      port: opts.healthPort ?? 10256,
      host: opts.bindAddress ?? '127.0.0.1',
      checks: { healthz: healthy, readyz: () => lastSuccess > 0 },
      details: {
        healthz: () => ({
          lastUpdated: lastSuccess ? new Date(lastSuccess).toISOString() : null,
          currentTime: new Date().toISOString(),
          nodeName: opts.nodeName ?? null,
        }),
      },
      metrics: () => metrics.render(),
    });
  }
  services.start();
  endpoints.start();
  void Promise.all([services.waitForSync(), endpoints.waitForSync()]).then(() => runner.start());
  log.info({ node: opts.nodeName, clusterCIDR, healthPort: health?.port }, 'kube-proxy started');

  let closing: Promise<void> | undefined;
  return {
    healthPort: health?.port ?? 0,
    metrics,
    synced: () => new Promise<void>((resolve) => { waiters.push({ after: Date.now(), resolve }); runner.request(); }),
    close: () => (closing ??= (async () => {
      await Promise.all([services.stop(), endpoints.stop()]);
      await runner.stop();
      await health?.close();
      await client.close();
      for (const w of waiters) w.resolve();
      log.info('kube-proxy stopped');
    })()),
  };
}
