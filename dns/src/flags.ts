// The cluster DNS server's command line.
import { flagUsage, parseFlagTable, type FlagSpec } from '@k8ts/shared';

export const DNS_FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { kind: 'string', help: 'kubeconfig with the API server and credentials' },
  master: { kind: 'string', help: 'API server URL (overrides the kubeconfig)' },
  'bind-address': { kind: 'string', default: '0.0.0.0', help: 'address to answer DNS on (UDP and TCP)' },
  port: { kind: 'int', default: '53', min: 0, max: 65535, help: 'DNS port (UDP and TCP)' },
  'cluster-domain': { kind: 'string', default: 'cluster.local', help: 'the zone this server is authoritative for' },
  ttl: { kind: 'int', default: '5', min: 0, max: 3600, help: 'TTL of answers, seconds' },
  'health-port': { kind: 'int', default: '10054', min: 0, max: 65535, help: 'plain-HTTP /healthz /readyz /metrics port (127.0.0.1)' },
  register: { kind: 'bool', default: 'true', help: 'create/maintain the kube-system/kube-dns Service and its Endpoints' },
  'cluster-ip': { kind: 'string', default: '10.96.0.10', help: 'ClusterIP of kube-system/kube-dns (the kubelets\' --cluster-dns)' },
  'advertise-address': { kind: 'string', help: 'IP the kube-dns Endpoints point at (how pods reach this process); required with --register' },
};

export const USAGE = flagUsage('node dns/dist/main.js', DNS_FLAGS);
export { parseFlagTable };
