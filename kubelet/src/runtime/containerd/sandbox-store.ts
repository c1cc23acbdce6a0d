// Sandbox records on disk: `<dir>/<id>.json`, one per pod sandbox of this node. A sandbox has no
// process of its own (no pause container): it is a network + UTS namespace pair and this
// record, which is what lets a restarted kubelet adopt it (listPodSandboxes reads the records).
//
// Contract: writes are atomic (tmp + rename); a corrupt record is skipped, never fatal.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodSandboxConfig, SandboxState } from '../types.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: number;
  ip?: string;
  /** `ip netns` name and host veth (absent for hostNetwork sandboxes). */
  netns?: string;
  hostVeth?: string;
  /** Namespace-independent files of the pod: resolv.conf, hosts, hostname. */
  dir: string;
}

export class SandboxStore {
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  async get(id: string): Promise<SandboxRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as SandboxRecord;
    } catch {
      return undefined;
    }
  }

  async put(r: SandboxRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(r.id)}.tmp`;
    await writeFile(tmp, JSON.stringify(r));
    await rename(tmp, this.file(r.id));
  }

  async delete(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  async list(): Promise<SandboxRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: SandboxRecord[] = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      const r = await this.get(n.slice(0, -5));
      if (r) out.push(r);
    }
    return out;
  }
}
