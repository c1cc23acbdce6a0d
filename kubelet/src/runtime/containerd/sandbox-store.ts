// Sandbox records on disk: `<dir>/<id>.json`, one per pod sandbox of this node. A sandbox has no
// process of its own (no pause container): it is a network + UTS namespace pair and this
// record, which is what lets a restarted kubelet adopt it (listPodSandboxes reads the records).
//
// Contract: as JsonDirStore (atomic writes, an in-memory copy checked against the directory's
// mtime; a corrupt record is skipped, never fatal).
import type { PodSandboxConfig, SandboxState } from '../types.js';
import { JsonDirStore } from './json-dir-store.js';

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
  private readonly store: JsonDirStore<SandboxRecord>;

  constructor(dir: string) {
    this.store = new JsonDirStore(dir);
  }

  get(id: string): Promise<SandboxRecord | undefined> {
    return this.store.get(id);
  }

  put(r: SandboxRecord): Promise<void> {
    return this.store.put(r.id, r);
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }

  /** Every record, or (with `uid`) only the records whose text contains it, i.e. the pod's
   *  sandboxes plus, rarely, a record that mentions the uid elsewhere: callers still check. */
  async list(uid?: string): Promise<SandboxRecord[]> {
    return (await this.store.list(uid ? (text) => text.includes(uid) : undefined)).map((e) => e.value);
  }
}
