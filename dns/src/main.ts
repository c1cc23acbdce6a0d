#!/usr/bin/env node
// Cluster DNS entry point. SIGTERM/SIGINT: stop answering, exit 0.
import { FlagError, connectionFromFlags, createLogger, onShutdown, parseFlagTable } from '@k8ts/shared';
import { DNS_FLAGS, USAGE } from './flags.js';
import { startDnsServer } from './server.js';

const log = createLogger('dns');
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));

let f: ReturnType<typeof parseFlagTable>;
try {
  f = parseFlagTable(process.argv.slice(2), DNS_FLAGS);
  if (f.register && !f['advertise-address'] && !f.help) throw new FlagError('--advertise-address is required with --register=true (the IP pods reach this server at)');
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (f.help) { process.stdout.write(USAGE); process.exit(0); }
try {
  const dns = await startDnsServer({
    connection: connectionFromFlags({ kubeconfig: f.kubeconfig as string | undefined, server: f.master as string | undefined }),
    logger: log,
    bindAddress: String(f['bind-address']),
    port: Number(f.port),
    zone: String(f['cluster-domain']),
    ttl: Number(f.ttl),
    healthPort: Number(f['health-port']),
    ...(f.register ? { register: { clusterIP: String(f['cluster-ip']), advertiseAddress: String(f['advertise-address']) } } : {}),
  });
  onShutdown(async () => { await dns.close(); });
} catch (err) {
  log.fatal({ err }, 'dns failed to start');
  process.exit(1);
}
