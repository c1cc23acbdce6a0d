// Pure IPv4 CIDR block allocator (upstream nodeipam/ipam/cidrset): carves `clusterCIDR` into
// blocks of /maskSize. allocateNext() hands out the next free block after the last one given
// (round robin, so a just-released block is not reused at once); occupy() marks blocks taken
// (e.g. read back from existing Nodes at start-up) and release() frees them. Blocks are
// strings in canonical form ("10.244.3.0/24").
// Not handled: IPv6 / dual-stack cluster CIDRs.

export interface ParsedCIDR { base: number; prefix: number }

export function parseIPv4CIDR(s: string): ParsedCIDR | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ip & mask) >>> 0, prefix };
}

export const formatIPv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export class CidrSet {
  readonly size: number;
  private readonly used = new Set<number>();
  private next = 0;
  private readonly cluster: ParsedCIDR;

  constructor(clusterCIDR: string, readonly maskSize: number) {
    const c = parseIPv4CIDR(clusterCIDR);
    if (!c) throw new Error(`invalid IPv4 cluster CIDR ${JSON.stringify(clusterCIDR)}`);
    if (maskSize < c.prefix || maskSize > 32) throw new Error(`node CIDR mask size ${maskSize} must be within [${c.prefix}, 32] for ${clusterCIDR}`);
    if (maskSize - c.prefix > 24) throw new Error(`node CIDR mask size ${maskSize} makes too many blocks for ${clusterCIDR}`);
    this.cluster = c;
    this.size = 2 ** (maskSize - c.prefix);
  }

  private block(i: number): string {
    return `${formatIPv4((this.cluster.base + i * 2 ** (32 - this.maskSize)) >>> 0)}/${this.maskSize}`;
  }

  /** Indexes of the blocks `cidr` overlaps; undefined if it is not within the cluster CIDR. */
  private indexes(cidr: string): number[] | undefined {
    const c = parseIPv4CIDR(cidr);
    if (!c || c.prefix < this.cluster.prefix) return undefined;
    const span = 2 ** (32 - this.cluster.prefix);
    const off = c.base - this.cluster.base;
    if (off < 0 || off >= span) return undefined;
    const blockSpan = 2 ** (32 - this.maskSize);
    const first = Math.floor(off / blockSpan);
    const count = Math.max(1, 2 ** (32 - c.prefix) / blockSpan);
    return Array.from({ length: count }, (_, k) => first + k);
  }

  contains(cidr: string): boolean { return this.indexes(cidr) !== undefined; }

  isOccupied(cidr: string): boolean { return (this.indexes(cidr) ?? []).some((i) => this.used.has(i)); }

  /** Marks cidr taken; false if outside the cluster CIDR. */
  occupy(cidr: string): boolean {
    const idx = this.indexes(cidr);
    if (!idx) return false;
    for (const i of idx) this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    for (const i of this.indexes(cidr) ?? []) this.used.delete(i);
  }

  /** The next free block, or undefined when the range is exhausted. */
  allocateNext(): string | undefined {
    for (let k = 0; k < this.size; k++) {
      const i = (this.next + k) % this.size;
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.next = (i + 1) % this.size;
      return this.block(i);
    }
    return undefined;
  }

  get allocated(): number { return this.used.size; }
}
