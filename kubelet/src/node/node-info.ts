// Facts about the machine for Node.status (read once at start; memory and images are re-read
// by the status loop): CPU count, MemTotal from /proc/meminfo, kernel, OS image from
// /etc/os-release, machine-id, DMI product_uuid (falls back to the machine-id), boot_id, the
// node IP (first non-internal IPv4 unless --node-ip), architecture in Go naming (amd64, arm64).
// Unreadable files give empty strings, never errors.
import { readFileSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release } from 'node:os';

export interface MachineInfo {
  cpus: number;
  memoryBytes: number;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
  architecture: string;
  hostname: string;
}

function read(path: string): string {
  try { return readFileSync(path, 'utf8').trim(); } catch { return ''; }
}

export function memTotalBytes(meminfo = read('/proc/meminfo')): number {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : 0;
}

export function osImage(osRelease = read('/etc/os-release')): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease);
  return m ? m[1]! : 'Linux';
}

export function goArch(a: string = arch()): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[a] ?? a;
}

export function machineInfo(): MachineInfo {
  const machineID = read('/etc/machine-id') || read('/var/lib/dbus/machine-id');
  return {
    cpus: cpus().length || 1,
    memoryBytes: memTotalBytes(),
    kernelVersion: release(),
    osImage: osImage(),
    machineID,
    systemUUID: read('/sys/class/dmi/id/product_uuid') || machineID,
    bootID: read('/proc/sys/kernel/random/boot_id'),
    architecture: goArch(),
    hostname: hostname(),
  };
}

/** First non-internal IPv4 address of the machine, else 127.0.0.1. */
export function defaultNodeIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
