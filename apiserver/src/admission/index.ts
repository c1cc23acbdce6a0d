// The apiserver's admission chain: DefaultTolerationSeconds (mutating), ResourceQuota
// (validating). See types.ts for the contract and chain.ts for ordering and flags.
import type { KubeObject, Logger } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';
import { buildChain } from './chain.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { resourceQuotaAdmission } from './resource-quota.js';
import { QuotaNamespaceIndex, type WatchQuotas } from './quota-index.js';
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

export interface AdmissionDeps {
  quotaDef: ResourceDef;
  listQuotas(ns: string): Promise<KubeObject[]>;
  /** a watch of every ResourceQuota (for the namespace index); without it every create reads storage */
  watchQuotas?: WatchQuotas;
  log?: Logger;
}

export function createAdmissionChain(opts: AdmissionOptions, deps: AdmissionDeps): AdmissionChain {
  const index = deps.watchQuotas ? new QuotaNamespaceIndex(deps.watchQuotas, deps.log) : undefined;
  return buildChain({
    mutating: [defaultTolerationSeconds({ notReadySeconds: opts.defaultNotReadyTolerationSeconds, unreachableSeconds: opts.defaultUnreachableTolerationSeconds })],
    validating: [resourceQuotaAdmission({ quotaDef: deps.quotaDef, listQuotas: deps.listQuotas, mayHaveQuotas: index && ((ns) => index.mayHaveQuotas(ns)), noteQuotaCreate: index && ((ns) => index.noteCreate(ns)) })],
  }, opts.disabledPlugins ?? [], () => index?.stop());
}
