// A directory of small JSON records (`<dir>/<id>.json`) with an in-memory copy, for the
// runtime's sandbox and container records. The PLEG relists every second and each pod sync
// lists again: reading every file each time was a quarter of the kubelet's CPU while 15 pods
// started (CPU profile, bench:pods). Reads are served from memory while the directory's mtime
// is the one seen at the last load (every create, rename or delete in it changes that), so a
// second instance over the same directory (a restarted kubelet; tests) is still seen.
//
// File system calls are synchronous on purpose: these are small files in the node's local state
// directory, and through fs/promises each call cost the kubelet several times the syscall itself
// (FileHandle, thread pool hop, promises: ~20% of its CPU while pods started, CPU profile).
//
// Contract: writes are atomic (tmp + rename) and update the copy; a corrupt or unreadable
// record is skipped (list) or absent (get), never fatal; values handed out are copies; methods
// stay async (callers await them) and never throw for a missing directory on reads.
// NOT handled: a foreign write within the same mtime tick as one of ours may be missed until
// the next change of the directory.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class JsonDirStore<T> {
  private cache: Map<string, string> | undefined;
  private mtimeNs: bigint | undefined;
  private dirMade = false;

  constructor(readonly dir: string) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private dirMtime(): bigint | undefined {
    return statSync(this.dir, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
  }

  /** The records by id (raw JSON), reloaded when the directory changed behind our back. */
  private load(): Map<string, string> {
    const mtime = this.dirMtime();
    if (this.cache && mtime !== undefined && mtime === this.mtimeNs) return this.cache;
    const next = new Map<string, string>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch { /* no records yet */ }
    for (const n of names) {
      if (!n.endsWith('.json')) continue;
      try {
        const text = readFileSync(join(this.dir, n), 'utf8');
        JSON.parse(text);
        next.set(n.slice(0, -5), text);
      } catch { /* vanished or corrupt: skipped */ }
    }
    this.cache = next;
    this.mtimeNs = mtime;
    return next;
  }

  /** One record: from the copy while it is current, else from its file (no full reload). */
  async get(id: string): Promise<T | undefined> {
    let text: string | undefined;
    const mtime = this.dirMtime();
    if (this.cache && mtime !== undefined && mtime === this.mtimeNs) text = this.cache.get(id);
    else {
      try {
        text = readFileSync(this.file(id), 'utf8');
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

  /** One consistent view for many lookups (one directory check instead of one per get). */
  async snapshot(): Promise<(id: string) => T | undefined> {
    const records = this.load();
    return (id) => {
      const text = records.get(id);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    };
  }

  /** Every record; with `mayMatch`, only those whose raw JSON it accepts are parsed and returned
   *  (a cheap pre-filter: listings run for every pod sync, and parsing every record each time
   *  grew with the number of pods on the node). */
  async list(mayMatch?: (text: string) => boolean): Promise<{ id: string; value: T }[]> {
    const out: { id: string; value: T }[] = [];
    for (const [id, text] of this.load()) if (!mayMatch || mayMatch(text)) out.push({ id, value: JSON.parse(text) as T });
    return out;
  }

  async put(id: string, value: T): Promise<void> {
    const text = JSON.stringify(value);
    if (!this.dirMade) {
      mkdirSync(this.dir, { recursive: true });
      this.dirMade = true;
    }
    const tmp = `${this.file(id)}.tmp`;
    try {
      writeFileSync(tmp, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(this.dir, { recursive: true }); // the directory was removed behind our back
      writeFileSync(tmp, text);
    }
    renameSync(tmp, this.file(id));
    this.afterWrite((c) => c.set(id, text));
  }

  async delete(id: string): Promise<void> {
    rmSync(this.file(id), { force: true });
    this.afterWrite((c) => c.delete(id));
  }

  /** Applies our write to the copy and records the directory's new mtime. */
  private afterWrite(apply: (c: Map<string, string>) => void): void {
    if (!this.cache) return;
    apply(this.cache);
    this.mtimeNs = this.dirMtime();
  }
}
