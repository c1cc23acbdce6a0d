// What containerd forgets and CRI must remember: when a container started, how it ended (exit
// code, time, OOM) after its task is deleted, why a start failed, and — between createContainer
// and startContainer — the container itself (`pending`). One small JSON file per container,
// `<dir>/<id>.json`; deleted with the container.
//
// Contract: as JsonDirStore (atomic writes, an in-memory copy checked against the directory's
// mtime); missing or corrupt file = empty state.
import { JsonDirStore } from './json-dir-store.js';

/** A created, never started container: containerd learns of it at start (snapshot, container
 *  and task created and started over gRPC in one go). */
export interface PendingContainer {
  sandboxId: string;
  image: string;
  labels: Record<string, string>;
  createdAt: number;
  /** The OCI spec (oci-spec.ts); its process.user is replaced when `user` names a user. */
  spec?: Record<string, unknown>;
  /** The image's `User` when it needs the image's /etc/passwd to resolve. */
  user?: string;
}

export interface ContainerRunState {
  pending?: PendingContainer;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  oomKilled?: boolean;
  startError?: string;
}

export class ContainerStateStore {
  private readonly store: JsonDirStore<ContainerRunState>;

  constructor(dir: string) {
    this.store = new JsonDirStore(dir);
  }

  async get(id: string): Promise<ContainerRunState> {
    return (await this.store.get(id)) ?? {};
  }

  async update(id: string, patch: ContainerRunState): Promise<ContainerRunState> {
    const next = { ...(await this.get(id)), ...patch };
    await this.store.put(id, next);
    return next;
  }

  /** Every record as of now, for a listing (one directory check). */
  async snapshot(): Promise<(id: string) => ContainerRunState> {
    const get = await this.store.snapshot();
    return (id) => get(id) ?? {};
  }

  async listPending(): Promise<{ id: string; pending: PendingContainer }[]> {
    return (await this.store.list((text) => text.includes('"pending":'))).flatMap(({ id, value }) => (value.pending ? [{ id, pending: value.pending }] : []));
  }

  delete(id: string): Promise<void> {
    return this.store.delete(id);
  }
}
