#!/usr/bin/env node
// Cluster DNS entry point. SIGTERM/SIGINT: stop answering, exit 0. Process behaviour (exit
// codes, unhandled errors): shared/component-main.ts.
import { FlagError, connectionFromFlags, parseFlagTable, runComponentMain } from '@k8ts/shared';
import { DNS_FLAGS, USAGE } from './flags.js';
import { startDnsServer } from './server.js';

await runComponentMain({
  name: 'dns',
  usage: USAGE,
  parseFlags: (argv) => {
    const f = parseFlagTable(argv, DNS_FLAGS);
    if (f.register && !f['advertise-address'] && !f.help) throw new FlagError('--advertise-address is required with --register=true (the IP pods reach this server at)');
    return f;
  },
  start: (f, log) => startDnsServer({
    connection: connectionFromFlags({ kubeconfig: f.kubeconfig as string | undefined, server: f.master as string | undefined }),
    logger: log,
    bindAddress: String(f['bind-address']),
    port: Number(f.port),
    zone: String(f['cluster-domain']),
    ttl: Number(f.ttl),
    healthPort: Number(f['health-port']),
    ...(f.register ? { register: { clusterIP: String(f['cluster-ip']), advertiseAddress: String(f['advertise-address']) } } : {}),
  }),
});
