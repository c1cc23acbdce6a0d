// The apiserver's admission chain: DefaultTolerationSeconds (mutating), ResourceQuota
// (validating). See types.ts for the contract and chain.ts for ordering and flags.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';
import { buildChain } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { resourceQuotaAdmission } from './resource-quota.js';
import type { AdmissionChain } from './types.js';

export type { AdmissionAttributes, AdmissionChain, AtomicWrites } from './types.js';
export { KNOWN_PLUGINS } from './chain.js';

export interface AdmissionOptions {
  /** --default-not-ready-toleration-seconds (300) */
  defaultNotReadyTolerationSeconds?: number;
  /** --default-unreachable-toleration-seconds (300) */
  defaultUnreachableTolerationSeconds?: number;
  /** --disable-admission-plugins */
  disabledPlugins?: string[];
}

export function createAdmissionChain(opts: AdmissionOptions, deps: { quotaDef: ResourceDef; listQuotas(ns: string): Promise<KubeObject[]> }): AdmissionChain {
  return buildChain({
    mutating: [defaultTolerationSeconds({ notReadySeconds: opts.defaultNotReadyTolerationSeconds, unreachableSeconds: opts.defaultUnreachableTolerationSeconds })],
    validating: [resourceQuotaAdmission({ quotaDef: deps.quotaDef, listQuotas: deps.listQuotas })],
  }, opts.disabledPlugins ?? []);
}
