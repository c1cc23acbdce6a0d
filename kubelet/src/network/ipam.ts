// Host-local IP address management for one node's pod CIDR, persisted as one file per
// allocated address under `dir` (`<dir>/<ip>` containing the owner's id), like CNI host-local.
//
// Contract:
// - allocate(owner) is idempotent per owner: an owner that already holds an address gets it back.
// - Allocation claims a file with O_EXCL, so concurrent allocators (or a restarted kubelet)
//   never hand out a live address twice; addresses survive restarts until released.
// - The network address, the gateway (first host) and the broadcast address are never handed out.
// - Allocation continues after the last address handed out (round robin), so a just-released
//   address is not reused at once.
// - release(owner) frees every address of that owner; releasing nothing is fine.
// - File system calls are synchronous: a handful of tiny local files, read on every allocation;
//   through fs/promises they cost several times the syscalls (kubelet CPU profile, bench:pods).
//   Methods stay async for their callers.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { cidrSize, intToIp, ipToInt, parseCidr } from './cidr.js';

export class IpamExhaustedError extends Error {
  constructor(cidr: string) {
    super(`no free IP address left in pod CIDR ${cidr}`);
    this.name = 'IpamExhaustedError';
  }
}

export class HostLocalIpam {
  private readonly cidr;

  constructor(private readonly dir: string, private readonly podCIDR: string) {
    this.cidr = parseCidr(podCIDR);
  }

  private async entries(): Promise<{ ip: string; owner: string }[]> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: { ip: string; owner: string }[] = [];
    for (const n of names) {
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(n)) continue;
      try {
        out.push({ ip: n, owner: readFileSync(join(this.dir, n), 'utf8').trim() });
      } catch { /* released concurrently */ }
    }
    return out;
  }

  async lookup(owner: string): Promise<string | undefined> {
    return (await this.entries()).find((e) => e.owner === owner)?.ip;
  }

  async allocate(owner: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const held = await this.lookup(owner);
    if (held) return held;
    const size = cidrSize(this.cidr);
    const first = this.cidr.base + 2;
    const last = this.cidr.base + size - 2;
    if (last < first) throw new IpamExhaustedError(this.podCIDR);
    let start = first;
    try {
      const prev = ipToInt(readFileSync(join(this.dir, 'last-reserved'), 'utf8').trim());
      if (prev >= first && prev < last) start = prev + 1;
    } catch { /* first allocation */ }
    const count = last - first + 1;
    for (let i = 0; i < count; i++) {
      const n = first + ((start - first + i) % count);
      const ip = intToIp(n);
      let fd: number;
      try {
        fd = openSync(join(this.dir, ip), 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      try {
        writeSync(fd, owner);
      } finally {
        closeSync(fd);
      }
      writeFileSync(join(this.dir, 'last-reserved'), ip);
      return ip;
    }
    throw new IpamExhaustedError(this.podCIDR);
  }

  async release(owner: string): Promise<void> {
    for (const e of await this.entries()) {
      if (e.owner === owner) {
        try { unlinkSync(join(this.dir, e.ip)); } catch { /* released concurrently */ }
      }
    }
  }

  async allocated(): Promise<{ ip: string; owner: string }[]> {
    return this.entries();
  }
}
