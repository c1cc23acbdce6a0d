// The contract between the generic store / HTTP layer and each kind.
// A kind is described once by a ResourceDef (identity, strategy, schema, table columns);
// routes, discovery, OpenAPI and Table output are all generated from the list of defs.
import type { FieldError, KubeObject } from '@k8ts/shared';

/** A JSON Schema (draft-07 subset, OpenAPI v3 flavoured) with Kubernetes extensions. */
export interface JSONSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: JSONSchema | boolean;
  items?: JSONSchema;
  required?: string[];
  enum?: unknown[];
  format?: string; // int32, int64, date-time, byte, int-or-string
  default?: unknown;
  /** int-or-string and quantities: accept both */
  'x-kubernetes-int-or-string'?: boolean;
  /** unknown fields below are accepted and kept (used where the schema is not exhaustive) */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string; // 'merge' | 'retainKeys' | 'merge,retainKeys'
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** reference to a shared definition name in components.schemas (resolved by the schema registry) */
  $ref?: string;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

/** What a strategy may need from the server while preparing an object. */
export interface StrategyContext {
  /** Reads another object (e.g. the namespace, or existing services for allocation). */
  get(resource: ResourceDef, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(resource: ResourceDef, namespace?: string): Promise<KubeObject[]>;
  /**
   * Reserve a unique key atomically with the write of this object: the store adds
   * `create(key) if absent` to the same etcd transaction. Used for ClusterIP / NodePort
   * allocation: `reserve('/registry/allocations/clusterips/10.96.0.1')`. A lost race
   * makes the whole write fail with a Conflict-free retry inside the store (prepare is
   * called again), so strategies must be idempotent and choose randomly among free values.
   */
  reserve(key: string): void;
  /** Releases a key reserved earlier, atomically with this write (update or delete). */
  release(key: string): void;
  /** Looks up a reservation (true when the key exists). */
  isReserved(key: string): Promise<boolean>;
  /** Server options strategies depend on. */
  options: { serviceCIDR: string; nodePortRange: [number, number] };
}

export interface Strategy {
  /** Defaults and server-owned fields on create (status reset, generation=1 is done by the store). Mutates obj. */
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void | Promise<void>;
  /** On update: e.g. keep old status (main strategy) or old spec (status strategy). Mutates obj. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void | Promise<void>;
  /** On delete: release allocations etc. */
  prepareForDelete?(old: KubeObject, ctx: StrategyContext): void | Promise<void>;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Graceful deletion: seconds to wait before the object really goes (pods bound to a node).
   * 0 or undefined = delete now. `requested` is DeleteOptions.gracePeriodSeconds.
   */
  deletionGracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number | undefined;
  /**
   * Called when a delete is requested; mutate obj (e.g. namespaces: status.phase=Terminating)
   * and return true when the object must stay until something else finalizes it
   * (namespaces with spec.finalizers). metadata.finalizers are handled by the store.
   */
  beginTermination?(obj: KubeObject): boolean;
  /** DELETE answers with the object (pods) instead of a Success Status. */
  returnDeletedObject?: boolean;
  /** PUT of a missing object creates it (upstream: endpoints, leases? no). */
  allowCreateOnUpdate?: boolean;
  /** True when a change of `spec` (or what counts as spec for this kind) bumps generation. Default: deep-compare of .spec. */
  specChanged?(obj: KubeObject, old: KubeObject): boolean;
}

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string; // 'name' for the NAME column
  description: string;
  /** 0 = default columns, 1 = only with -o wide */
  priority: 0 | 1;
}

export interface TableDef {
  columns: TableColumn[];
  /** One cell per column, in order. `now` is injected for ages. */
  cells(obj: KubeObject, now: Date): unknown[];
}

/** /scale subresource: maps between the object and an autoscaling/v1 Scale. */
export interface ScaleDef {
  getReplicas(obj: KubeObject): number;
  setReplicas(obj: KubeObject, n: number): void;
  statusReplicas(obj: KubeObject): number;
  /** label selector string, e.g. "app=web" */
  selector(obj: KubeObject): string;
}

export interface ResourceDef {
  group: string; // '' for the core group
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** defaults to all verbs: create delete deletecollection get list patch update watch */
  verbs?: string[];
  strategy: Strategy;
  /** present => a /status subresource exists, with this strategy */
  statusStrategy?: Strategy;
  /** present => a /scale subresource exists */
  scale?: ScaleDef;
  /** other subresources served by dedicated handlers (e.g. 'binding', 'log', 'exec') */
  extraSubresources?: string[];
  /** the object's schema (top level: apiVersion, kind, metadata, spec, status, ...) */
  schema: JSONSchema;
  table: TableDef;
  /** field selectors this kind supports beyond metadata.name / metadata.namespace */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** `pods`, `deployments.apps`: how upstream names a resource in messages. */
export function qualifiedResource(def: Pick<ResourceDef, 'group' | 'plural'>): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}
