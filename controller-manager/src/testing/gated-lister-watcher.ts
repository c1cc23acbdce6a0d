// Test helper: a lister-watcher over a real client whose watch streams for the chosen
// resources (by plural) hold their events back while the gate is closed — an informer cache
// that lags behind the API, on demand. Lists are never held.
import type { ApiClient, KubeObject, ListerWatcher, WatchEvent } from '@k8ts/shared';

export class GatedListerWatcher implements ListerWatcher {
  private open = true;
  private waiters: (() => void)[] = [];

  constructor(private readonly inner: ApiClient, private readonly plurals: readonly string[]) {}

  close(): void { this.open = false; }

  release(): void {
    this.open = true;
    for (const w of this.waiters.splice(0)) w();
  }

  list: ListerWatcher['list'] = (ref, opts) => this.inner.list(ref, opts);

  watch: ListerWatcher['watch'] = ((ref: Parameters<ListerWatcher['watch']>[0], opts: Parameters<ListerWatcher['watch']>[1], signal?: AbortSignal) => {
    const stream = this.inner.watch(ref, opts, signal);
    if (!this.plurals.includes(ref.plural)) return stream;
    const self = this;
    return (async function* () {
      for await (const ev of stream) {
        while (!self.open && !signal?.aborted) await new Promise<void>((r) => self.waiters.push(r));
        yield ev as WatchEvent<KubeObject>;
      }
    })();
  }) as ListerWatcher['watch'];
}
