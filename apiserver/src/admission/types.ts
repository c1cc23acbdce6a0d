// The admission contract (upstream k8s.io/apiserver/pkg/admission): after a kind's strategy
// has defaulted an object on create/update, mutating plugins may change it; after the
// strategy's validation, validating plugins may refuse it (a Status error, e.g. 403
// Forbidden) or add writes that must commit atomically with the object (quota charges).
// Plugins see subresource writes too (`subresource` set) and decide themselves; binding and
// finalize writes are not admitted. Delete is not admitted (no k8ts plugin needs it).
import type { ICompare, IRequestOp } from 'etcd3';
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceDef;
  namespace: string | undefined;
  /** the object's name (generated already when the request used generateName) */
  name: string;
  object: KubeObject;
  /** the stored object, on UPDATE */
  oldObject?: KubeObject;
  subresource?: string;
  dryRun: boolean;
}

/**
 * Extra guarded writes joined to the object's own etcd transaction: when any compare fails
 * the whole write fails and the store prepares and admits the object again (bounded).
 */
export interface AtomicWrites {
  compare: ICompare[];
  ops: IRequestOp[];
}

export interface MutatingPlugin {
  readonly name: string;
  admit(a: AdmissionAttributes): void | Promise<void>;
}

export interface ValidatingPlugin {
  readonly name: string;
  validate(a: AdmissionAttributes, writes: AtomicWrites): void | Promise<void>;
}

export interface AdmissionChain {
  /** the enabled plugins' names, mutating then validating, in the order they run */
  readonly plugins: string[];
  admit(a: AdmissionAttributes): Promise<void>;
  validate(a: AdmissionAttributes, writes: AtomicWrites): Promise<void>;
  /** stops background work (watches) */
  close(): void;
}
