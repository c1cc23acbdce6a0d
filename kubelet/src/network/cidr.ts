// IPv4 CIDR arithmetic for pod networking. Contract: pure; throws on malformed input.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Cidr {
  const [ip, p] = cidr.split('/');
  const prefix = Number(p);
  if (!ip || p === undefined || !/^\d+$/.test(p) || prefix > 32) throw new Error(`invalid CIDR "${cidr}"`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ipToInt(ip) & mask) >>> 0, prefix };
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + cidrSize(c);
}

/** The gateway (bridge) address of a pod CIDR: its first host address. */
export function gatewayOf(cidr: string): string {
  return intToIp(parseCidr(cidr).base + 1);
}

export function cidrString(c: Cidr): string {
  return `${intToIp(c.base)}/${c.prefix}`;
}
