// A directory of small JSON records (`<dir>/<id>.json`) with an in-memory copy, for the
// runtime's sandbox and container records. The PLEG relists every second and each pod sync
// lists again: reading every file each time was a quarter of the kubelet's CPU while 15 pods
// started (CPU profile, bench:pods). Reads are served from memory while the directory's mtime
// is the one seen at the last load (every create, rename or delete in it changes that), so a
// second instance over the same directory (a restarted kubelet; tests) is still seen.
//
// Contract: writes are atomic (tmp + rename) and update the copy; a corrupt or unreadable
// record is skipped (list) or absent (get), never fatal; values handed out are copies.
// NOT handled: a foreign write within the same mtime tick as one of ours may be missed until
// the next change of the directory.
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class JsonDirStore<T> {
  private cache: Map<string, string> | undefined;
  private mtimeNs: bigint | undefined;
  private writes = 0;

  constructor(readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private async dirMtime(): Promise<bigint | undefined> {
    try {
      return (await stat(this.dir, { bigint: true })).mtimeNs;
    } catch {
      return undefined;
    }
  }

  /** The records by id (raw JSON), reloaded when the directory changed behind our back. */
  private async load(): Promise<Map<string, string>> {
    const mtime = await this.dirMtime();
    if (this.cache && mtime !== undefined && mtime === this.mtimeNs) return this.cache;
    const writes = this.writes;
    const next = new Map<string, string>();
    let names: string[] = [];
    try {
      names = await readdir(this.dir);
    } catch { /* no records yet */ }
    await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => {
      try {
        const text = await readFile(join(this.dir, n), 'utf8');
        JSON.parse(text);
        next.set(n.slice(0, -5), text);
      } catch { /* vanished or corrupt: skipped */ }
    }));
    if (writes === this.writes) { // no write of ours raced the reload
      this.cache = next;
      this.mtimeNs = mtime;
    }
    return next;
  }

  /** One record: from the copy while it is current, else from its file (no full reload). */
  async get(id: string): Promise<T | undefined> {
    let text: string | undefined;
    const mtime = await this.dirMtime();
    if (this.cache && mtime !== undefined && mtime === this.mtimeNs) text = this.cache.get(id);
    else {
      try {
        text = await readFile(this.file(id), 'utf8');
      } catch {
        return undefined;
      }
    }
    try {
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch {
      return undefined;
    }
  }

  async list(): Promise<{ id: string; value: T }[]> {
    return [...(await this.load())].map(([id, text]) => ({ id, value: JSON.parse(text) as T }));
  }

  async put(id: string, value: T): Promise<void> {
    const text = JSON.stringify(value);
    this.writes++;
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(id)}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.file(id));
    this.afterWrite((c) => c.set(id, text));
  }

  async delete(id: string): Promise<void> {
    this.writes++;
    await rm(this.file(id), { force: true });
    this.afterWrite((c) => c.delete(id));
  }

  /** Applies our write to the copy; the last of a burst of writes records the new mtime (until
   *  then a read sees a changed directory and reloads). */
  private afterWrite(apply: (c: Map<string, string>) => void): void {
    if (!this.cache) return;
    apply(this.cache);
    const writes = this.writes;
    void this.dirMtime().then((m) => { if (this.writes === writes) this.mtimeNs = m; });
  }
}
