// ControllerExpectations (upstream pkg/controller/controller_utils.go, the UID-tracking
// variant the ReplicaSet controller uses): after a controller issues N creates or deletes for
// one owner, it must not act on that owner again until its informer has observed them, or a
// lagging cache would make it create (or delete) the same pods twice.
//
// Contract:
// - satisfied(key) is true when there is no record for the key (new owner, or expectations
//   deleted), when every expected create and delete was observed (add <= 0 && del <= 0), or
//   when the record is older than EXPECTATIONS_TIMEOUT_MS (5 min: a watch event was lost,
//   the controller re-syncs from its cache anyway).
// - expectCreations(key, n) / expectDeletions(key, podKeys) REPLACE the record (upstream's
//   SetExpectations), and restart its timer. Call them before issuing the requests.
// - creationObserved(key) lowers the expected creates by one; it is also how a create that
//   was never issued or failed is "given back". deletionObserved(key, podKey) lowers the
//   expected deletes only for a pod key that is still tracked, so a pod observed twice
//   (terminating, then gone) counts once.
// - delete(key) forgets the owner (it was deleted).
// Synchronous and single-threaded: informer handlers and reconciles interleave only at awaits.

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  timestamp: number;
  /** pod keys (`ns/name`) whose deletion is expected */
  deleting: Set<string>;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Expectation>();

  constructor(private readonly now: () => number = Date.now, private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS) {}

  satisfied(key: string): boolean {
    const e = this.records.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.now() - e.timestamp > this.timeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, timestamp: this.now(), deleting: new Set() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    const deleting = new Set(podKeys);
    this.records.set(key, { add: 0, del: deleting.size, timestamp: this.now(), deleting });
  }

  creationObserved(key: string): void {
    const e = this.records.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const e = this.records.get(key);
    if (e && e.deleting.delete(podKey)) e.del--;
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  /** For logs and tests: the outstanding counts, or undefined without a record. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.records.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }
}
