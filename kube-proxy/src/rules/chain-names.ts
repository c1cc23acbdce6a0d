// Chain names for kube-proxy's iptables rules, as upstream names them: a fixed set of
// top-level chains plus per-service-port and per-endpoint chains whose suffix is the first
// 16 characters of base32(sha256(<identity>)). iptables limits chain names to 28 chars.
//
// Contract: pure and stable: the same service port / endpoint always gets the same name, so a
// re-sync rewrites a chain in place instead of renaming it.
import { createHash } from 'node:crypto';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_FORWARD = 'KUBE-FORWARD';
/** The packet mark that asks KUBE-POSTROUTING to masquerade (upstream's default bit 14). */
export const MASQ_MARK = '0x4000/0x4000';

/** Prefixes of the chains this program creates per service and endpoint (stale ones are removed). */
export const PER_OBJECT_PREFIXES = ['KUBE-SVC-', 'KUBE-SEP-'];

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function hash16(identity: string): string {
  return base32(createHash('sha256').update(identity).digest()).slice(0, 16);
}

/** `ns/name:port` + protocol, e.g. `default/web:http` + `tcp`. */
export function serviceChain(servicePortName: string, protocol: string): string {
  return `KUBE-SVC-${hash16(servicePortName + protocol.toLowerCase())}`;
}

export function endpointChain(servicePortName: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hash16(servicePortName + protocol.toLowerCase() + endpoint)}`;
}
