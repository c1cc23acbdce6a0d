// What containerd forgets and CRI must remember: when a container started, how it ended (exit
// code, time, OOM) after its task is deleted, why a start failed, and — between createContainer
// and startContainer — the container itself (`pending`). One small JSON file per container,
// `<dir>/<id>.json`; deleted with the container.
//
// Contract: atomic writes; missing or corrupt file = empty state.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  constructor(private readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  async get(id: string): Promise<ContainerRunState> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as ContainerRunState;
    } catch {
      return {};
    }
  }

  async update(id: string, patch: ContainerRunState): Promise<ContainerRunState> {
    const next = { ...(await this.get(id)), ...patch };
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(id)}.tmp`;
    await writeFile(tmp, JSON.stringify(next));
    await rename(tmp, this.file(id));
    return next;
  }

  async listPending(): Promise<{ id: string; pending: PendingContainer }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: { id: string; pending: PendingContainer }[] = [];
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      const st = await this.get(n.slice(0, -5));
      if (st.pending) out.push({ id: n.slice(0, -5), pending: st.pending });
    }
    return out;
  }

  async delete(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }
}
