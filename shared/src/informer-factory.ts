// Shared informers for the controllers of one leadership term (client-go's
// SharedInformerFactory): one Informer per (resource, namespace, selectors), however many
// controllers ask for it, so each collection is listed and watched once.
//
// Contract: informers asked for before start() start with it; asked for after start(), they
// start at once. stop() stops every informer and is final (a new term builds a new factory).
import type { KubeObject } from './api/meta.js';
import type { ApiClient } from './client/api-client.js';
import { qualifiedResource, type ResourceRef } from './client/resources.js';
import { Informer } from './informer.js';
import type { Logger } from './logger.js';

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerFactoryOptions {
  client: Pick<ApiClient, 'list' | 'watch'>;
  logger: Logger;
  /** Resync period for every informer; 0 = none. */
  resyncMs?: number;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(private readonly opts: InformerFactoryOptions) {}

  forResource<T extends KubeObject = KubeObject>(ref: ResourceRef, scope: InformerScope = {}): Informer<T> {
    const key = [qualifiedResource(ref), ref.version, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer({
        client: this.opts.client, ref, logger: this.opts.logger, resyncMs: this.opts.resyncMs,
        ...(scope.namespace ? { namespace: scope.namespace } : {}),
        ...(scope.labelSelector ? { labelSelector: scope.labelSelector } : {}),
        ...(scope.fieldSelector ? { fieldSelector: scope.fieldSelector } : {}),
      });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** True once every informer has synced; false if `signal` aborts or an informer stops first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
