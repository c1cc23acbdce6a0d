// `k8ts up`: make credentials, then start every component of the table in order, each behind
// its readiness check, and print how to use the cluster.
//
// Contract:
// - Idempotent: running components are reused ("already running"), credentials are kept.
// - Ports come from the command line, else <state>/cluster.json, else defaults; changing the
//   ports of a running cluster is refused (down first).
// - Components are detached: they keep running after this command exits.
// - On a component that fails to become ready, the ones before it stay up (`down` stops them)
//   and a CliError carries the failing component's log tail.
// - Not handled: two `up` commands racing on one state dir.
import { mkdir } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import { saveClusterConfig, type ClusterConfig } from '../cluster-config.js';
import { loadCommandContext, type CommandOptions } from '../command-context.js';
import { apiserverUrl, prepareCredentials } from '../prepare-credentials.js';
import { runningPid } from '../process-control.js';
import { startComponent } from '../start-component.js';
import { displayPath as show, usageHint } from '../usage-hint.js';

const PORT_KEYS = ['apiserverPort', 'etcdPort'] as const satisfies readonly (keyof ClusterConfig)[];

export async function up(opts: CommandOptions): Promise<void> {
  const ctx = await loadCommandContext(opts);
  const { layout, out } = ctx;
  const config = ctx.config;
  validatePorts(config);

  if (ctx.saved) {
    const changed = PORT_KEYS.filter((k) => opts.overrides?.[k] !== undefined && opts.overrides[k] !== ctx.saved![k]);
    if (changed.length) {
      // Which components are still running with the saved ports?
      const savedCtx = await loadCommandContext({ ...opts, overrides: {} });
      for (const c of savedCtx.components()) {
        if (await runningPid(layout.pidFile(c.name), c.markers)) {
          throw new CliError(`k8ts is running from ${layout.root} with ${changed.map((k) => `${k}=${ctx.saved![k]}`).join(', ')}; run 'k8ts down' (npm run down) before changing ports`);
        }
      }
    }
  }

  await mkdir(layout.root, { recursive: true });
  await mkdir(layout.logsDir, { recursive: true });
  await mkdir(layout.runDir, { recursive: true });
  await saveClusterConfig(layout.clusterFile, config);

  const creds = await prepareCredentials(layout, config);
  if (creds.pki.createdCa) out(`• generated cluster CA ${show(layout.caCert)}`);
  if (creds.pki.issuedApiserverCert) out(`• issued apiserver certificate (${creds.pki.reason ?? 'new'})`);
  if (creds.addedTokens.length) out(`• created tokens for ${creds.addedTokens.join(', ')} in ${show(layout.tokenFile)}`);

  const started: string[] = [];
  for (const spec of ctx.components(creds.caPem)) {
    let res;
    try {
      if (spec.beforeStart && !(await runningPid(layout.pidFile(spec.name), spec.markers))) await spec.beforeStart();
      res = await startComponent(spec, layout);
    } catch (e) {
      if (e instanceof CliError && started.length) {
        throw new CliError(`${e.message}\nstill running: ${started.join(', ')} ('npm run down' stops them)`, e.exitCode);
      }
      throw e;
    }
    started.push(spec.name);
    out(res.started
      ? `✓ ${spec.name} ready (pid ${res.pid}, ${(res.ms / 1000).toFixed(1)} s)`
      : `✓ ${spec.name} already running (pid ${res.pid})`);
    if (!res.started && spec.name === 'apiserver' && creds.pki.issuedApiserverCert) {
      out(`  note: the apiserver still serves its old certificate; restart it: k8ts down && k8ts up`);
    }
  }

  out('');
  for (const line of usageHint({ server: apiserverUrl(config), layout })) out(line);
}

function validatePorts(config: ClusterConfig): void {
  const ports = [config.apiserverPort, config.etcdPort, config.etcdPort + 1];
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new CliError(`invalid port ${p}`);
  }
  if (new Set(ports).size !== ports.length) {
    throw new CliError(`ports collide: apiserver ${config.apiserverPort}, etcd ${config.etcdPort} (client) and ${config.etcdPort + 1} (peer) must differ`);
  }
}
