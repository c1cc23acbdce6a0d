// IPv4 service ranges (`10.96.0.0/12`): which offsets are usable and how an address maps to
// one. The network and broadcast addresses are never handed out; offset 1 (x.x.x.1 for a
// /24-or-larger range) is the `kubernetes` service's and is only given when asked for.
//
// Not handled: IPv6 service CIDRs (rejected with an error naming the range).
import { isIPv4 } from '../common/name-validation.js';

export interface IPRange {
  cidr: string;
  base: number;
  size: number;
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function intToIP(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function parseIPv4CIDR(cidr: string): IPRange {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!ip || !isIPv4(ip) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new Error(`invalid IPv4 service CIDR ${JSON.stringify(cidr)}`);
  }
  const size = 2 ** (32 - prefix);
  const base = Math.floor(ipToInt(ip) / size) * size;
  return { cidr, base, size };
}

/** Offset of `ip` inside the range when it is a usable address (not network/broadcast). */
export function usableOffset(range: IPRange, ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  const offset = ipToInt(ip) - range.base;
  return offset >= 1 && offset <= range.size - 2 ? offset : undefined;
}

/** First offset handed out by random allocation (offset 1 stays for the `kubernetes` service). */
export const FIRST_DYNAMIC_OFFSET = 2;
