// The DNS server announces itself as upstream's cluster DNS does: the Service kube-system/kube-dns
// at a fixed ClusterIP (ports 53/UDP "dns" and 53/TCP "dns-tcp") and, since this server is not
// a pod, a selector-less Service whose Endpoints this process writes with its own address.
//
// Contract: idempotent (creates what is missing, corrects the Endpoints' address/port, never
// deletes). A Service that already exists with another ClusterIP is left alone and reported
// (pods are pointed at the flag's IP by the kubelet; the operator must fix the mismatch).
import { isStatusError, Resources, type ApiClient, type KubeObject, type Logger } from '@k8ts/shared';

export interface RegistrationOptions {
  clusterIP: string;
  /** Address and port the Endpoints point at (where this process listens). */
  advertiseAddress: string;
  port: number;
}

const NS = 'kube-system';
const NAME = 'kube-dns';
const LABELS = { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS', 'app.kubernetes.io/managed-by': 'k8ts-dns' };

export async function registerDnsService(client: ApiClient, opts: RegistrationOptions, log: Logger): Promise<void> {
  let svc: KubeObject | undefined;
  try {
    svc = await client.get(Resources.services, NS, NAME);
  } catch (e) {
    if (!isStatusError(e) || e.status.code !== 404) throw e;
  }
  if (!svc) {
    svc = await client.create(Resources.services, {
      metadata: { name: NAME, namespace: NS, labels: LABELS },
      spec: {
        clusterIP: opts.clusterIP,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: opts.port },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: opts.port },
        ],
      },
    }, { namespace: NS });
    log.info({ clusterIP: opts.clusterIP }, 'created Service kube-system/kube-dns');
  } else if (svc.spec?.clusterIP !== opts.clusterIP) {
    log.warn({ want: opts.clusterIP, have: svc.spec?.clusterIP }, 'Service kube-system/kube-dns has another ClusterIP; pods resolve through the kubelet\'s --cluster-dns');
  }
  const subsets = [{
    addresses: [{ ip: opts.advertiseAddress }],
    ports: [{ name: 'dns', port: opts.port, protocol: 'UDP' }, { name: 'dns-tcp', port: opts.port, protocol: 'TCP' }],
  }];
  for (let attempt = 0; attempt < 5; attempt++) {
    let ep: KubeObject | undefined;
    try {
      ep = await client.get(Resources.endpoints, NS, NAME);
    } catch (e) {
      if (!isStatusError(e) || e.status.code !== 404) throw e;
    }
    try {
      if (!ep) {
        await client.create(Resources.endpoints, { metadata: { name: NAME, namespace: NS, labels: LABELS }, subsets }, { namespace: NS });
      } else if (JSON.stringify(ep.subsets) !== JSON.stringify(subsets)) {
        await client.update(Resources.endpoints, { ...ep, subsets });
      }
      return;
    } catch (e) {
      if (isStatusError(e) && (e.status.code === 409)) continue; // raced: read again
      throw e;
    }
  }
}
