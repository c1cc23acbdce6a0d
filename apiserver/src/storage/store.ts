// The generic resource store (Kubernetes' generic registry): CRUD, lists, watches,
// compare-and-swap updates and error mapping for every kind. A kind's behaviour comes only
// from its ResourceDef (strategy, status strategy, scale); nothing here names a kind.
//
// Contracts:
// - resourceVersion is the etcd mod_revision. An update whose body carries a
//   resourceVersion different from the stored one fails with 409 Conflict; one without a
//   resourceVersion is unconditional (retried internally on races).
// - Every write is one etcd transaction: the object plus any keys the strategy reserved or
//   released (ClusterIP / NodePort allocations), guarded by compare on the object's
//   create/mod revision and on each reservation. Nothing is ever half-written.
// - generation is 1 on create and bumps only when the strategy says the spec changed.
// - An update that changes nothing is not written (same resourceVersion, no watch event).
// - Deletion honours preconditions, metadata.finalizers (deletionTimestamp, kept until the
//   finalizers are removed), strategies that keep objects while terminating (namespaces)
//   and graceful deletion (pods bound to a node).
// - Admission (create and update, not binding/finalize): prepare → mutating admission →
//   validate → validating admission → one transaction with the writes admission added
//   (quota charges); a lost race on those re-runs the whole sequence (bounded, jittered).
import { isDeepStrictEqual } from 'node:util';
import type { Etcd3, ICompare, IRequestOp } from 'etcd3';
import {
  Errors, makeStatus, parseLabelSelector, type DeleteOptions, type FieldError, type KubeList,
  type KubeObject, type Logger, type Status, type LabelMatcher,
} from '@k8ts/shared';
import { apiVersionOf, qualifiedResource, type ResourceDef, type Strategy, type StrategyContext } from '../registry/types.js';
import { decodeKV, encode } from './codec.js';
import { getKey, rangeAll, rangePage, txn, call, mapEtcdError, cancelWatcher } from './etcd.js';
import { listPrefix, objectKey, resourcePrefix } from './keys.js';
import { parseFieldSelector, type FieldMatcher } from './field-selector.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { generateName, newUid, nowRFC3339 } from './names.js';
import { WatchCache, eventLine, type CacheEvent } from './watch-cache.js';
import type { AdmissionAttributes, AdmissionChain, AtomicWrites } from '../admission/types.js';

export interface StoreOptions { serviceCIDR: string; nodePortRange: [number, number]; }

/** How stores find each other (strategies read other kinds, e.g. the namespace). */
export interface StoreRegistry {
  storeFor(def: ResourceDef): GenericStore;
  namespaces: GenericStore;
  /** A watch-fed view of namespaces, when the server runs one (saves the etcd read per create). */
  namespaceIndex?: { lookup(name: string): { obj: KubeObject } | undefined };
  /** Namespaces this server was asked to delete lately, by name → until when (ms) creates in
   *  them read the namespace from etcd: the watch-fed view may not show the deletion yet
   *  (upstream's NamespaceLifecycle keeps the same "force live lookup" list). */
  namespaceDeletes?: Map<string, number>;
}

/** How long after a namespace delete creates in it check the namespace in etcd. */
const NAMESPACE_LIVE_LOOKUP_MS = 30_000;

export interface StoreDeps {
  etcd: Etcd3;
  log: Logger;
  options: StoreOptions;
  registry: StoreRegistry;
  /** extra object-meta validation shared by every kind (names, labels); returns field errors */
  validateMeta?: (obj: KubeObject, def: ResourceDef) => FieldError[];
  /** admission plugins: mutating after the strategy's prepare, validating after its validation */
  admission?: AdmissionChain;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

/**
 * subresource selects the strategy: 'status' the status strategy; 'binding' and 'finalize'
 * write exactly what the caller's mutate produced (no strategy, no generation bump).
 */
export interface WriteOptions { dryRun?: boolean; subresource?: 'status' | 'scale' | 'finalize' | 'binding'; }

export interface WatchOptions { labelSelector?: string; fieldSelector?: string; resourceVersion?: string; }

export interface WatchSink {
  /** `line` is the ready-made JSON watch line (shared between watchers; absent for initial ADDED events) */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject, json?: string, line?: Buffer): void;
  /** The stream must end with this Status (e.g. 410 Expired). */
  error(status: Status): void;
  /** All events up to rev were delivered (bookmark opportunity). */
  progress?(rev: number): void;
}

type Mutate = (current: KubeObject) => KubeObject | Promise<KubeObject>;

const MAX_RETRIES = 8;
const MAX_UNCONDITIONAL_RETRIES = 100;

export class GenericStore {
  readonly def: ResourceDef;
  readonly apiVersion: string;
  readonly qualified: string;
  private readonly cache: WatchCache;

  constructor(def: ResourceDef, private readonly deps: StoreDeps) {
    this.def = def;
    this.apiVersion = apiVersionOf(def);
    this.qualified = qualifiedResource(def);
    this.cache = new WatchCache(deps.etcd, resourcePrefix(def), def.kind, this.apiVersion, deps.log);
  }

  private key(ns: string | undefined, name: string): string { return objectKey(this.def, ns, name); }

  private decode(kv: Parameters<typeof decodeKV>[0]): KubeObject { return decodeKV(kv, this.def.kind, this.apiVersion); }

  // ---------------------------------------------------------------- reads

  async tryGet(ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    const { kv } = await getKey(this.deps.etcd, this.key(ns, name));
    return kv ? this.decode(kv) : undefined;
  }

  async get(ns: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.tryGet(ns, name);
    if (!obj) throw Errors.notFound(this.qualified, name);
    return obj;
  }

  /** Every object (optionally in one namespace), unfiltered; used by strategies and controllers' needs. */
  async listAll(ns?: string): Promise<KubeObject[]> {
    const { kvs } = await rangeAll(this.deps.etcd, listPrefix(this.def, ns));
    return kvs.map((kv) => this.decode(kv));
  }

  async list(ns: string | undefined, opts: ListOptions = {}): Promise<KubeList> {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, this.def);
    const prefix = listPrefix(this.def, ns);
    const limit = opts.limit && opts.limit > 0 ? Math.floor(opts.limit) : 0;
    let from = prefix;
    let revision = '0';
    // any resourceVersion given must be a revision number (as for watch), whatever the match
    if (opts.resourceVersion && !/^\d+$/.test(opts.resourceVersion)) throw Errors.badRequest(`invalid resource version: ${opts.resourceVersion}`);
    if (opts.continue) {
      const tok = decodeContinue(opts.continue, prefix);
      from = tok.start;
      revision = tok.rev;
    } else if (opts.resourceVersion && opts.resourceVersion !== '0' && opts.resourceVersionMatch === 'Exact') {
      if (!/^\d+$/.test(opts.resourceVersion)) throw Errors.badRequest(`invalid resource version: ${opts.resourceVersion}`);
      revision = opts.resourceVersion;
    }
    const items: KubeObject[] = [];
    const matches = (o: KubeObject) => (!ns || !this.def.namespaced || o.metadata.namespace === ns) && labels.matches(o.metadata.labels) && fields.matches(o);
    // one name pinned by the field selector in a namespace (or cluster-scoped): read one key
    if (fields.exactName !== undefined && (ns || !this.def.namespaced) && !opts.continue) {
      const { kv, revision: rev } = await getKey(this.deps.etcd, this.key(ns, fields.exactName));
      const o = kv ? this.decode(kv) : undefined;
      return this.listOf(o && matches(o) ? [o] : [], rev);
    }
    let cont: string | undefined;
    const pageSize = limit ? Math.min(Math.max(limit + 1, 100), 1000) : 1000;
    try {
      for (;;) {
        const page = await rangePage(this.deps.etcd, prefix, from, pageSize, revision);
        revision = page.revision;
        let i = 0;
        for (; i < page.kvs.length; i++) {
          if (limit && items.length >= limit) break;
          const o = this.decode(page.kvs[i]!);
          if (matches(o)) items.push(o);
        }
        const last = page.kvs[Math.max(0, i - 1)];
        const moreHere = i < page.kvs.length;
        if (limit && items.length >= limit && (moreHere || page.more)) {
          const nextKey = moreHere ? page.kvs[i]!.key.toString() : Buffer.concat([last!.key, Buffer.from([0])]).toString();
          cont = encodeContinue({ rev: revision, start: nextKey });
          break;
        }
        if (!page.more || page.kvs.length === 0) break;
        from = Buffer.concat([page.kvs[page.kvs.length - 1]!.key, Buffer.from([0])]).toString();
      }
    } catch (err) {
      const e = mapEtcdError(err);
      if (opts.continue && (e as { httpCode?: number }).httpCode === 410) {
        throw Errors.expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      throw e;
    }
    return this.listOf(items, revision, cont);
  }

  private listOf(items: KubeObject[], revision: string, cont?: string): KubeList {
    const metadata: KubeList['metadata'] = { resourceVersion: revision };
    if (cont) metadata.continue = cont;
    return { apiVersion: this.apiVersion, kind: this.def.listKind, metadata, items };
  }

  // ---------------------------------------------------------------- writes

  private newContext(): { ctx: StrategyContext; reserved: string[]; released: string[] } {
    const reserved: string[] = [];
    const released: string[] = [];
    const { registry, etcd, options } = this.deps;
    const ctx: StrategyContext = {
      get: (def, ns, name) => registry.storeFor(def).tryGet(ns, name),
      list: (def, ns) => registry.storeFor(def).listAll(ns),
      reserve: (k) => { reserved.push(k); },
      release: (k) => { released.push(k); },
      isReserved: async (k) => !!(await getKey(etcd, k)).kv,
      options,
    };
    return { ctx, reserved, released };
  }

  private validate(obj: KubeObject, strategy: Strategy, old?: KubeObject): void {
    const errs: FieldError[] = [];
    if (this.deps.validateMeta) errs.push(...this.deps.validateMeta(obj, this.def));
    if (old) {
      errs.push(...(strategy.validate?.(obj) ?? []));
      errs.push(...(strategy.validateUpdate?.(obj, old) ?? []));
    } else {
      errs.push(...(strategy.validate?.(obj) ?? []));
    }
    if (errs.length) {
      const seen = new Set<string>();
      const causes = errs.filter((e) => { const k = `${e.field}|${e.message}`; if (seen.has(k)) return false; seen.add(k); return true; })
        .map((e) => ({ reason: e.reason, message: e.message, field: e.field }));
      throw Errors.invalid(this.def.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', causes, this.def.group || undefined);
    }
  }

  private async checkNamespace(ns: string): Promise<void> {
    const { registry } = this.deps;
    const live = (registry.namespaceDeletes?.get(ns) ?? 0) > Date.now();
    const nsObj = (live ? undefined : registry.namespaceIndex?.lookup(ns)?.obj) ?? await registry.namespaces.tryGet(undefined, ns);
    if (!nsObj) throw Errors.notFound('namespaces', ns);
    if (nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
      throw Errors.forbidden(`${this.def.singular} "${'NAME'}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, { name: ns, kind: 'namespaces' });
    }
  }

  private reservationOps(reserved: string[], released: string[], uid: string): { compare: ICompare[]; ops: IRequestOp[] } {
    const compare: ICompare[] = [];
    const ops: IRequestOp[] = [];
    for (const k of reserved) {
      compare.push({ key: Buffer.from(k), target: 'Create', result: 'Equal', create_revision: '0' });
      ops.push({ request_put: { key: Buffer.from(k), value: Buffer.from(JSON.stringify({ owner: this.qualified, uid })) } });
    }
    for (const k of released) if (!reserved.includes(k)) ops.push({ request_delete_range: { key: Buffer.from(k) } });
    return { compare, ops };
  }

  async create(ns: string | undefined, input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    if (this.def.namespaced) {
      if (!ns) throw Errors.badRequest('the server could not find the requested resource: a namespace is required');
      if (input.metadata.namespace && input.metadata.namespace !== ns) {
        throw Errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      await this.checkNamespace(ns).catch((e) => {
        if ((e as { status?: Status }).status?.code === 403) {
          throw Errors.forbidden(`${this.qualified} "${input.metadata.name ?? input.metadata.generateName ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, { name: input.metadata.name, kind: this.def.plural });
        }
        throw e;
      });
    }
    if (!input.metadata.name && !input.metadata.generateName) {
      throw Errors.invalid(this.def.kind, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }], this.def.group || undefined);
    }
    for (let attempt = 0; ; attempt++) {
      const obj: KubeObject = structuredClone(input);
      obj.apiVersion = this.apiVersion;
      obj.kind = this.def.kind;
      const meta = obj.metadata;
      if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
      if (this.def.namespaced) meta.namespace = ns; else delete meta.namespace;
      meta.uid = newUid();
      meta.creationTimestamp = nowRFC3339();
      meta.generation = 1;
      delete meta.resourceVersion;
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
      delete meta.selfLink;
      const { ctx, reserved, released } = this.newContext();
      await this.def.strategy.prepareForCreate?.(obj, ctx);
      const attrs: AdmissionAttributes = { operation: 'CREATE', resource: this.def, namespace: ns, name: meta.name!, object: obj, dryRun: !!opts.dryRun };
      await this.deps.admission?.admit(attrs);
      this.validate(obj, this.def.strategy);
      const admitted: AtomicWrites = { compare: [], ops: [] };
      await this.deps.admission?.validate(attrs, admitted);
      if (opts.dryRun) return obj;
      const key = this.key(ns, meta.name!);
      const res = this.reservationOps(reserved, released, meta.uid);
      const r = await txn(this.deps.etcd, {
        compare: [{ key: Buffer.from(key), target: 'Create', result: 'Equal', create_revision: '0' }, ...res.compare, ...admitted.compare],
        success: [{ request_put: { key: Buffer.from(key), value: encode(obj) } }, ...res.ops, ...admitted.ops],
        failure: [{ request_range: { key: Buffer.from(key) } }],
      });
      if (r.succeeded) {
        meta.resourceVersion = r.header.revision;
        return obj;
      }
      const exists = r.responses[0]?.response_range?.kvs?.length;
      if (exists) {
        if (input.metadata.generateName && !input.metadata.name && attempt < MAX_RETRIES) continue;
        throw Errors.alreadyExists(this.qualified, meta.name!);
      }
      // a reservation was taken concurrently: prepare again (a new free value is picked);
      // a quota admission charged was changed concurrently: admit again
      if (admitted.compare.length) {
        if (attempt >= MAX_UNCONDITIONAL_RETRIES) throw Errors.conflict(this.qualified, meta.name!, 'admission raced too many times; try again');
        if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        continue;
      }
      if (attempt >= MAX_RETRIES) throw Errors.conflict(this.qualified, meta.name!, 'allocation raced too many times; try again');
    }
  }

  /**
   * Read-modify-write with compare-and-swap, retried on races. `mutate` receives a private
   * copy of the current object and returns the desired one; it may throw (e.g. Conflict).
   * When `preconditionRV` is set, a stored version different from it is a Conflict.
   */
  async guaranteedUpdate(ns: string | undefined, name: string, mutate: Mutate, opts: WriteOptions & { preconditionRV?: string } = {}): Promise<KubeObject> {
    const raw = opts.subresource === 'binding' || opts.subresource === 'finalize';
    const strategy: Strategy = opts.subresource === 'status' ? (this.def.statusStrategy ?? this.def.strategy) : raw ? {} : this.def.strategy;
    for (let attempt = 0; ; attempt++) {
      const key = this.key(ns, name);
      const { kv } = await getKey(this.deps.etcd, key);
      if (!kv) throw Errors.notFound(this.qualified, name);
      const cur = this.decode(kv);
      const curRV = cur.metadata.resourceVersion!;
      const next = await mutate(structuredClone(cur));
      // a mutate result carrying another resourceVersion than the one it was given is stale
      const wantRV = opts.preconditionRV;
      if ((wantRV && wantRV !== curRV) || (next.metadata?.resourceVersion && next.metadata.resourceVersion !== curRV)) {
        throw Errors.conflict(this.qualified, name);
      }
      if (!next.metadata) next.metadata = {};
      const nm = next.metadata;
      if (nm.name !== undefined && nm.name !== name) {
        throw Errors.badRequest(`the name of the object (${nm.name}) does not match the name on the URL (${name})`);
      }
      if (this.def.namespaced && nm.namespace !== undefined && nm.namespace !== ns) {
        throw Errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      next.apiVersion = this.apiVersion;
      next.kind = this.def.kind;
      nm.name = name;
      if (this.def.namespaced) nm.namespace = ns; else delete nm.namespace;
      // a uid in the body is a precondition (how controllers adopt safely), as upstream
      if (nm.uid && nm.uid !== cur.metadata.uid) {
        throw Errors.conflict(this.qualified, name, `Precondition failed: UID in precondition: ${nm.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      // server-owned metadata never changes through an update
      nm.uid = cur.metadata.uid;
      nm.creationTimestamp = cur.metadata.creationTimestamp;
      if (cur.metadata.deletionTimestamp) {
        nm.deletionTimestamp = cur.metadata.deletionTimestamp;
        if (cur.metadata.deletionGracePeriodSeconds !== undefined) nm.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
      } else {
        delete nm.deletionTimestamp;
        delete nm.deletionGracePeriodSeconds;
      }
      nm.generation = cur.metadata.generation ?? 1;
      if (opts.subresource === 'status') {
        // status writes keep the stored metadata, except annotations (upstream controllers
        // record e.g. deployment.kubernetes.io/revision through /status)
        next.metadata = { ...cur.metadata };
        if (nm.annotations !== undefined) next.metadata.annotations = nm.annotations;
      }
      const { ctx, reserved, released } = this.newContext();
      await strategy.prepareForUpdate?.(next, cur, ctx);
      const attrs: AdmissionAttributes = {
        operation: 'UPDATE', resource: this.def, namespace: ns, name, object: next, oldObject: cur, subresource: opts.subresource, dryRun: !!opts.dryRun,
      };
      if (!raw) await this.deps.admission?.admit(attrs);
      if (opts.subresource !== 'status' && !raw) {
        const changed = strategy.specChanged ? strategy.specChanged(next, cur) : !isDeepStrictEqual(next.spec, cur.spec);
        if (changed) next.metadata.generation = (cur.metadata.generation ?? 1) + 1;
      }
      this.validate(next, strategy, cur);
      next.metadata.resourceVersion = curRV;
      if (isDeepStrictEqual(next, cur)) return cur; // nothing to write
      const admitted: AtomicWrites = { compare: [], ops: [] };
      if (!raw) await this.deps.admission?.validate(attrs, admitted);
      if (opts.dryRun) return next;
      const finalizing = !!next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && !this.keptByStrategy(next);
      const res = this.reservationOps(reserved, released, cur.metadata.uid!);
      const compare: ICompare[] = [{ key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: curRV }, ...res.compare, ...admitted.compare];
      const failure = admitted.compare.length ? [{ request_range: { key: Buffer.from(key) } }] : undefined;
      if (finalizing) {
        // the last finalizer is gone from a deleting object: remove it now
        const del = this.newContext();
        await strategy.prepareForDelete?.(next, del.ctx);
        const dres = this.reservationOps([], del.released, cur.metadata.uid!);
        const r = await txn(this.deps.etcd, { compare, success: [{ request_delete_range: { key: Buffer.from(key) } }, ...dres.ops, ...admitted.ops], failure });
        if (r.succeeded) { next.metadata.resourceVersion = r.header.revision; return next; }
        if (failure && objectUnchanged(r, curRV)) { await admissionBackoff(attempt, this.qualified, name); continue; }
      } else {
        const r = await txn(this.deps.etcd, { compare, success: [{ request_put: { key: Buffer.from(key), value: encode(next) } }, ...res.ops, ...admitted.ops], failure });
        if (r.succeeded) { next.metadata.resourceVersion = r.header.revision; return next; }
        // only what admission charged changed (not the object): admit again, even with a precondition
        if (failure && objectUnchanged(r, curRV)) { await admissionBackoff(attempt, this.qualified, name); continue; }
      }
      if (wantRV) throw Errors.conflict(this.qualified, name);
      // unconditional: someone else won the race; read again and re-apply (bounded)
      if (attempt >= MAX_UNCONDITIONAL_RETRIES) throw Errors.conflict(this.qualified, name);
      if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }

  /** PUT: the body replaces the object (its resourceVersion, if any, is the precondition). */
  async update(ns: string | undefined, name: string, body: KubeObject, opts: WriteOptions = {}): Promise<{ obj: KubeObject; created: boolean }> {
    const strategy = this.def.strategy;
    if (strategy.allowCreateOnUpdate && opts.subresource === undefined && !body.metadata?.resourceVersion) {
      const existing = await this.tryGet(ns, name);
      if (!existing) {
        if (body.metadata?.name && body.metadata.name !== name) throw Errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
        try {
          return { obj: await this.create(ns, { ...body, metadata: { ...body.metadata, name } }, opts), created: true };
        } catch (e) {
          if ((e as { status?: Status }).status?.reason !== 'AlreadyExists') throw e;
        }
      }
    }
    const rv = body.metadata?.resourceVersion;
    const obj = await this.guaranteedUpdate(ns, name, (cur) => {
      const next = structuredClone(body);
      next.metadata = next.metadata ?? {};
      if (!rv) next.metadata.resourceVersion = cur.metadata.resourceVersion;
      return next;
    }, { ...opts, preconditionRV: rv });
    return { obj, created: false };
  }

  private keptByStrategy(obj: KubeObject): boolean {
    // namespaces stay while spec.finalizers is non-empty
    return this.def.strategy.beginTermination ? this.def.strategy.beginTermination(structuredClone(obj)) : false;
  }

  /**
   * DELETE. Returns the deleted (or now-terminating) object and whether it is gone.
   * Propagation: Foreground adds the foregroundDeletion finalizer, Orphan the orphan
   * finalizer (the garbage collector finishes the job); Background deletes now.
   */
  async delete(ns: string | undefined, name: string, opts: Omit<DeleteOptions, 'dryRun'> & { dryRun?: boolean } = {}): Promise<{ obj: KubeObject; gone: boolean }> {
    if (this === this.deps.registry.namespaces && !opts.dryRun) {
      // marked before the write: a create racing the delete must not trust the cached view
      const m = (this.deps.registry.namespaceDeletes ??= new Map());
      const now = Date.now();
      for (const [k, until] of m) if (until <= now) m.delete(k);
      m.set(name, now + NAMESPACE_LIVE_LOOKUP_MS);
    }
    const key = this.key(ns, name);
    for (let attempt = 0; ; attempt++) {
      const { kv } = await getKey(this.deps.etcd, key);
      if (!kv) throw Errors.notFound(this.qualified, name);
      const cur = this.decode(kv);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw Errors.conflict(this.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw Errors.conflict(this.qualified, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`);
      }
      const next = structuredClone(cur);
      const strategy = this.def.strategy;
      const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : opts.orphanDependents === false ? 'Background' : undefined);
      const fins = new Set(next.metadata.finalizers ?? []);
      if (policy === 'Foreground' && !cur.metadata.deletionTimestamp) { fins.add('foregroundDeletion'); fins.delete('orphan'); }
      if (policy === 'Orphan' && !cur.metadata.deletionTimestamp) { fins.add('orphan'); fins.delete('foregroundDeletion'); }
      if (fins.size) next.metadata.finalizers = [...fins];
      const keep = strategy.beginTermination?.(next) ?? false;
      const grace = cur.metadata.deletionTimestamp ? undefined : strategy.deletionGracePeriodSeconds?.(cur, opts.gracePeriodSeconds);
      const hasFinalizers = fins.size > 0;
      const forceNow = opts.gracePeriodSeconds === 0 && !hasFinalizers && !keep;
      let writeKeep = false;
      if (!forceNow && (hasFinalizers || keep || (grace !== undefined && grace > 0))) {
        // keep the object, marked for deletion
        if (cur.metadata.deletionTimestamp) {
          // already terminating: a shorter grace period may still be requested (pods)
          if (!isDeepStrictEqual(next, cur)) writeKeep = true;
          else if (grace === undefined) return { obj: cur, gone: false };
        } else {
          const g = grace ?? 0;
          next.metadata.deletionTimestamp = nowRFC3339(new Date(Date.now() + g * 1000));
          next.metadata.deletionGracePeriodSeconds = g;
          writeKeep = true;
        }
      }
      if (writeKeep) {
        if (opts.dryRun) return { obj: next, gone: false };
        const r = await txn(this.deps.etcd, {
          compare: [{ key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: cur.metadata.resourceVersion! }],
          success: [{ request_put: { key: Buffer.from(key), value: encode(next) } }],
        });
        if (r.succeeded) { next.metadata.resourceVersion = r.header.revision; return { obj: next, gone: false }; }
        if (attempt >= MAX_RETRIES) throw Errors.conflict(this.qualified, name);
        continue;
      }
      if (cur.metadata.deletionTimestamp && (hasFinalizers || keep) && !forceNow) return { obj: cur, gone: false };
      const { ctx, released } = this.newContext();
      await strategy.prepareForDelete?.(cur, ctx);
      if (opts.dryRun) return { obj: cur, gone: true };
      const res = this.reservationOps([], released, cur.metadata.uid!);
      const r = await txn(this.deps.etcd, {
        compare: [{ key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: cur.metadata.resourceVersion! }],
        success: [{ request_delete_range: { key: Buffer.from(key) } }, ...res.ops],
      });
      if (r.succeeded) return { obj: cur, gone: true };
      if (attempt >= MAX_RETRIES) throw Errors.conflict(this.qualified, name);
    }
  }

  /** DELETE on a collection: deletes every matching object, one by one; returns them. */
  async deleteCollection(ns: string | undefined, listOpts: ListOptions, opts: Omit<DeleteOptions, 'dryRun'> & { dryRun?: boolean }): Promise<KubeList> {
    const list = await this.list(ns, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector });
    const out: KubeObject[] = [];
    for (const o of list.items) {
      try {
        out.push((await this.delete(o.metadata.namespace, o.metadata.name!, opts)).obj);
      } catch (e) {
        if ((e as { status?: Status }).status?.code !== 404) throw e;
      }
    }
    return { ...list, items: out };
  }

  successStatus(obj: KubeObject): Status {
    const s = makeStatus(200, undefined, '', { name: obj.metadata.name, kind: this.def.plural, uid: obj.metadata.uid });
    s.status = 'Success';
    delete s.message;
    if (this.def.group) s.details!.group = this.def.group;
    return s;
  }

  // ---------------------------------------------------------------- watch

  /**
   * Streams changes to `sink` until the returned stop function is called. Without a
   * resourceVersion (or "0") the current state comes first as ADDED events. Selectors are
   * applied to both the new and old object so that objects entering or leaving the
   * selection appear as ADDED / DELETED, as upstream.
   */
  async watch(ns: string | undefined, opts: WatchOptions, sink: WatchSink): Promise<() => void> {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, this.def);
    const rv = opts.resourceVersion;
    if (rv && rv !== '0' && !/^\d+$/.test(rv)) throw Errors.badRequest(`invalid resource version: ${rv}`);
    const filter = new EventFilter(ns && this.def.namespaced ? ns : undefined, labels, fields);
    await call(() => this.cache.ensureStarted());
    let from: number;
    if (!rv || rv === '0') {
      const prefix = listPrefix(this.def, ns);
      const { kvs, revision } = await rangeAll(this.deps.etcd, prefix);
      for (const kv of kvs) {
        const o = this.decode(kv);
        if (filter.matches(o)) sink.event('ADDED', o);
      }
      from = Number(revision);
    } else {
      from = Number(rv);
    }
    const deliver = (ev: CacheEvent) => {
      const t = filter.translate(ev);
      if (t) sink.event(t, ev.obj, ev.json, eventLine(ev, t));
    };
    const unsub = this.cache.subscribe(from, {
      onEvent: deliver,
      onError: (err) => sink.error(statusOf(mapEtcdError(err), true)),
      onProgress: (r) => sink.progress?.(r),
    });
    if (unsub) return unsub;
    const stopDirect = await this.directWatch(ns, from, deliver, sink);
    return Object.assign(stopDirect, { direct: true });
  }

  /** A watch straight on etcd from an old revision (older than the cache's window). */
  private async directWatch(ns: string | undefined, from: number, deliver: (ev: CacheEvent) => void, sink: WatchSink): Promise<() => void> {
    const prefix = listPrefix(this.def, ns);
    const watcher = await call(() => this.deps.etcd.watch().prefix(prefix).withPreviousKV().startRevision(String(from + 1)).create());
    let closed = false;
    watcher.on('data', (res) => {
      for (const e of res.events) {
        const rev = Number(e.kv.mod_revision);
        if (e.type === 'Delete') {
          if (!e.prev_kv) continue;
          const obj = decodeKV({ ...e.prev_kv, mod_revision: String(rev) }, this.def.kind, this.apiVersion);
          deliver({ type: 'DELETED', rev, obj, prev: obj, json: JSON.stringify(obj) });
        } else {
          const obj = this.decode(e.kv);
          const prev = e.prev_kv ? this.decode(e.prev_kv) : undefined;
          deliver({ type: e.kv.create_revision === e.kv.mod_revision ? 'ADDED' : 'MODIFIED', rev, obj, prev, json: JSON.stringify(obj) });
        }
      }
    });
    watcher.on('error', (err: Error) => {
      if (closed) return;
      this.deps.log.debug({ err: err.message, name: err.name }, 'direct watch error');
      closed = true;
      // etcd cancels a watch whose start revision was compacted (etcd3 reports an empty reason)
      const compacted = /compact|Watcher canceled/i.test(err.message);
      sink.error(statusOf(compacted ? Errors.expired(`too old resource version: ${from + 1}`) : mapEtcdError(err), true));
      // etcd3 already dropped a watcher it reports as failed: cancelling it again would make
      // etcd answer for an unknown watch id, which etcd3 throws from its stream handler
    });
    return () => { if (closed) return; closed = true; void cancelWatcher(watcher); };
  }

  /** Starts the resource's watch cache now (the server does this at startup so that
   *  watches resuming from a list's resourceVersion are served from the cache). */
  startWatchCache(): Promise<void> { return call(() => this.cache.ensureStarted()); }

  /** The newest revision the watch cache has fully delivered (for bookmarks). */
  cacheRevision(): number { return this.cache.lastRev; }

  async stop(): Promise<void> { await this.cache.stop(); }
}

/** Namespace + label + field filtering of watch events with enter/leave translation. */
class EventFilter {
  constructor(private ns: string | undefined, private labels: LabelMatcher, private fields: FieldMatcher) {}
  matches(o: KubeObject): boolean {
    return (!this.ns || o.metadata.namespace === this.ns) && this.labels.matches(o.metadata.labels) && this.fields.matches(o);
  }
  translate(ev: CacheEvent): 'ADDED' | 'MODIFIED' | 'DELETED' | undefined {
    const cur = this.matches(ev.obj);
    if (ev.type === 'DELETED') return cur ? 'DELETED' : undefined;
    if (ev.type === 'ADDED') return cur ? 'ADDED' : undefined;
    const before = ev.prev ? this.matches(ev.prev) : false;
    if (cur && before) return 'MODIFIED';
    if (cur) return 'ADDED';
    if (before) return 'DELETED';
    return undefined;
  }
}

/** After a failed transaction with a range of the object in `failure`: is the object still at `rv`? */
function objectUnchanged(r: { responses: Array<{ response_range?: { kvs?: Array<{ mod_revision: string }> } }> }, rv: string): boolean {
  return r.responses[0]?.response_range?.kvs?.[0]?.mod_revision === rv;
}

async function admissionBackoff(attempt: number, qualified: string, name: string): Promise<void> {
  if (attempt >= MAX_UNCONDITIONAL_RETRIES) throw Errors.conflict(qualified, name, 'admission raced too many times; try again');
  if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
}

function statusOf(e: Error, _watch: boolean): Status {
  const s = (e as { status?: Status }).status;
  return s ?? makeStatus(500, 'InternalError', e.message);
}
