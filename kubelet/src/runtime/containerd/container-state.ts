// What containerd forgets and CRI must remember: when a container started, how it ended (exit
// code, time, OOM) after its task is deleted, and why a start failed. One small JSON file per
// container, `<dir>/<id>.json`; deleted with the container.
//
// Contract: atomic writes; missing or corrupt file = empty state.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ContainerRunState {
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

  async delete(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }
}
