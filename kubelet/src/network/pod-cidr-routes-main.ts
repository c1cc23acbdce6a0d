#!/usr/bin/env node
// The per-node pod-CIDR route syncer of the Compose deployment (compose/entrypoints/node.sh):
//   node kubelet/dist/network/pod-cidr-routes-main.js --kubeconfig=PATH --node-name=NAME
//        [--cluster-cidr=10.244.0.0/16] [--resync-period=30s]
// Watches Nodes (informer); on every change (debounced 200 ms) and every resync period, makes
// the kernel's proto-201 routes equal to desiredPodCidrRoutes (see pod-cidr-routes.ts).
// SIGTERM: stops watching and exits 0, leaving the routes (they stay correct for the pods).
import { FlagError, Informer, Resources, ApiClient, connectionFromFlags, createLogger, flagUsage, onShutdown, parseFlagTable, type FlagSpec } from '@k8ts/shared';
import { IpRouteTable, desiredPodCidrRoutes, syncPodCidrRoutes, type NodeLike } from './pod-cidr-routes.js';

const FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { kind: 'string', help: 'kubeconfig with the API server and credentials' },
  master: { kind: 'string', help: 'API server URL (overrides the kubeconfig)' },
  'node-name': { kind: 'string', help: 'this node (its own podCIDR is the kubelet bridge\'s, not routed here)' },
  'cluster-cidr': { kind: 'string', default: '10.244.0.0/16', help: 'only podCIDRs inside it are routed' },
  'resync-period': { kind: 'duration', default: '30s', help: 'full resync period' },
};
const USAGE = flagUsage('node kubelet/dist/network/pod-cidr-routes-main.js', FLAGS);
const log = createLogger('pod-cidr-routes');

let f;
try {
  f = parseFlagTable(process.argv.slice(2), FLAGS);
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (f.help) { process.stdout.write(USAGE); process.exit(0); }
const nodeName = String(f['node-name'] ?? '');
if (!nodeName) { process.stderr.write(`--node-name is required\n\n${USAGE}`); process.exit(2); }
const clusterCIDR = String(f['cluster-cidr']);
const client = new ApiClient(connectionFromFlags({ kubeconfig: f.kubeconfig as string | undefined, server: f.master as string | undefined }));
const informer = new Informer<NodeLike>({ client, ref: Resources.nodes, logger: log });
const table = new IpRouteTable();

let timer: NodeJS.Timeout | undefined;
let running = false;
let again = false;
async function sync(): Promise<void> {
  if (running) { again = true; return; }
  running = true;
  try {
    do {
      again = false;
      const desired = desiredPodCidrRoutes(informer.list(), nodeName, clusterCIDR);
      const { plan, errors } = await syncPodCidrRoutes(table, desired);
      if (plan.replace.length || plan.remove.length) log.info({ replace: plan.replace, remove: plan.remove }, 'pod CIDR routes synced');
      for (const err of errors) log.warn({ err }, 'route change failed; retried on the next sync');
    } while (again);
  } catch (err) {
    log.warn({ err }, 'route sync failed; retried on the next sync');
  } finally {
    running = false;
  }
}
function schedule(): void {
  if (timer) return;
  timer = setTimeout(() => { timer = undefined; void sync(); }, 200);
}
informer.addEventHandler({ onAdd: schedule, onUpdate: schedule, onDelete: schedule });
informer.start();
const resync = setInterval(() => void sync(), Number(f['resync-period']));
onShutdown(async () => {
  clearInterval(resync);
  if (timer) clearTimeout(timer);
  await informer.stop();
});
log.info({ nodeName, clusterCIDR }, 'pod CIDR route syncer started');
