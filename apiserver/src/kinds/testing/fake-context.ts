// Test double of StrategyContext: reservations live in a Set; reserve/release are queued
// like the store's transaction and applied by commit() (a failed write is just not
// committed). Used only by *.test.ts.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef, StrategyContext } from '../../registry/types.js';

export interface FakeContext extends StrategyContext {
  reservedKeys: Set<string>;
  pendingReserve: string[];
  pendingRelease: string[];
  /** applies the queued reservations/releases (what a successful write does) */
  commit(): void;
  /** a fresh queue on the same reservations, for the next write */
  next(): FakeContext;
}

export function fakeContext(opts: { serviceCIDR?: string; nodePortRange?: [number, number]; reserved?: string[] } = {}): FakeContext {
  const reservedKeys = new Set(opts.reserved ?? []);
  const options = { serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/12', nodePortRange: opts.nodePortRange ?? [30000, 32767] as [number, number] };
  const make = (): FakeContext => {
    const ctx: FakeContext = {
      reservedKeys,
      pendingReserve: [],
      pendingRelease: [],
      options,
      get: async (_def: ResourceDef, _ns: string | undefined, _name: string): Promise<KubeObject | undefined> => undefined,
      list: async (): Promise<KubeObject[]> => [],
      reserve(key) { ctx.pendingReserve.push(key); },
      release(key) { ctx.pendingRelease.push(key); },
      isReserved: async (key) => reservedKeys.has(key),
      commit() {
        for (const k of ctx.pendingReserve) {
          if (reservedKeys.has(k)) throw new Error(`reservation ${k} already taken`);
          reservedKeys.add(k);
        }
        for (const k of ctx.pendingRelease) if (!ctx.pendingReserve.includes(k)) reservedKeys.delete(k);
        ctx.pendingReserve = [];
        ctx.pendingRelease = [];
      },
      next: make,
    };
    return ctx;
  };
  return make();
}
