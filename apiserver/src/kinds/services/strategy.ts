// Service strategies: defaults, status reset, ClusterIP / NodePort allocation on create,
// re-allocation and release on updates that change the type or the ports, release on
// delete. `createServiceStrategy({ random })` exists so tests can pick deterministically.
import type { KubeObject } from '@k8ts/shared';
import type { Strategy, StrategyContext } from '../../registry/types.js';
import { keepOldStatus, statusStrategy } from '../common/strategy-helpers.js';
import {
  allocateClusterIP, allocateNodePorts, clusterIPKey, nodePortKey, ownedClusterIP, ownedNodePorts, releaseUnused, type Random,
} from './allocator.js';
import { applyServiceDefaults, dropTypeDependentFields, keepAllocatedValues } from './defaults.js';
import { validateService, validateServiceStatus, validateServiceUpdate } from './validation.js';

export interface ServiceStrategyOptions {
  random?: Random;
}

export function createServiceStrategy(opts: ServiceStrategyOptions = {}): Strategy {
  const random = opts.random ?? Math.random;
  return {
    async prepareForCreate(svc: KubeObject, ctx: StrategyContext) {
      applyServiceDefaults(svc);
      svc.status = { loadBalancer: {} };
      await allocateClusterIP(svc, ctx, undefined, random);
      await allocateNodePorts(svc, ctx, new Set(), random);
    },
    async prepareForUpdate(svc: KubeObject, old: KubeObject, ctx: StrategyContext) {
      applyServiceDefaults(svc);
      keepOldStatus(svc, old);
      dropTypeDependentFields(svc, old);
      keepAllocatedValues(svc, old);
      const oldIP = ownedClusterIP(old);
      await allocateClusterIP(svc, ctx, oldIP, random);
      const kept = await allocateNodePorts(svc, ctx, ownedNodePorts(old), random);
      releaseUnused(ctx, old, ownedClusterIP(svc), kept);
    },
    prepareForDelete(old: KubeObject, ctx: StrategyContext) {
      const ip = ownedClusterIP(old);
      if (ip !== undefined) ctx.release(clusterIPKey(ip));
      for (const port of ownedNodePorts(old)) ctx.release(nodePortKey(port));
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  };
}

export const serviceStrategy: Strategy = createServiceStrategy();

export const serviceStatusStrategy: Strategy = statusStrategy((svc) => validateServiceStatus(svc));
