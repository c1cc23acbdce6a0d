// Serves every resource path (/api/v1/..., /apis/g/v/...) from the generic stores:
// verbs are derived from method + path shape, exactly one store call per request, and every
// failure leaves as a metav1.Status. Subresources: status, scale, binding, finalize; log,
// exec, attach and portforward answer a clear error until the kubelet serves them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Errors, type DeleteOptions, type KubeObject, type Logger, StatusError } from '@k8ts/shared';
import type { JSONSchema, ResourceDef } from '../registry/types.js';
import type { GenericStore } from '../storage/store.js';
import { applyPatch, patchTypeFromContentType } from '../patch/index.js';
import { checkFieldValidation, parseFieldValidation, pruneUnknownFields } from '../validation/index.js';
import { decodeBody, mediaType, parseAccept, type AcceptInfo } from './negotiate.js';
import { partialMetadata, tableOf, type IncludeObject } from './table.js';
import { streamWatch } from './watch-stream.js';
import { send, sendObject } from './respond.js';
import type { ResourceRequest } from './request-info.js';

export interface ResourceHandlerDeps {
  storeFor(def: ResourceDef): GenericStore;
  resolveRef(ref: string): JSONSchema | undefined;
  log: Logger;
  /** Proxies pod log/exec/attach/portforward to the node's kubelet; absent until a kubelet serves them. */
  podConnect?: (req: FastifyRequest, reply: FastifyReply, pod: KubeObject, sub: string) => Promise<void>;
}

type Query = Record<string, string | string[] | undefined>;

const one = (q: Query, k: string): string | undefined => {
  const v = q[k];
  return Array.isArray(v) ? v[v.length - 1] : v;
};
const truthy = (v: string | undefined) => v === 'true' || v === '1';

export async function handleResource(ri: ResourceRequest, req: FastifyRequest, reply: FastifyReply, deps: ResourceHandlerDeps): Promise<void> {
  const q = (req.query ?? {}) as Query;
  const store = deps.storeFor(ri.def);
  const accept = parseAccept(req.headers.accept);
  const dryRun = one(q, 'dryRun') === 'All';
  const method = req.method;
  const { namespace: ns, name, subresource: sub, def } = ri;
  if (sub && !subresourceAllowed(def, sub)) throw Errors.resourceNotFound('the server could not find the requested resource');
  // A kind that lists its verbs (namespaces: no deletecollection) refuses the others, as
  // upstream does for verbs a resource does not serve.
  const verb = verbOf(method, !!name, !!sub, ri.watchPath || truthy(one(q, 'watch')));
  if (!sub && def.verbs && verb && !def.verbs.includes(verb)) throw Errors.methodNotAllowed();

  // ---------------------------------------------------------------- collection
  if (!name) {
    if (method === 'GET') {
      if (ri.watchPath || truthy(one(q, 'watch'))) {
        return streamWatch(req, reply, store, ns, {
          resourceVersion: one(q, 'resourceVersion'),
          labelSelector: one(q, 'labelSelector'),
          fieldSelector: one(q, 'fieldSelector'),
          timeoutSeconds: numberParam(one(q, 'timeoutSeconds')),
          allowWatchBookmarks: truthy(one(q, 'allowWatchBookmarks')),
          sendInitialEvents: one(q, 'sendInitialEvents'),
          table: accept.table ? (one(q, 'includeObject') as IncludeObject | undefined) ?? 'Metadata' : undefined,
        }, deps.log);
      }
      const list = await store.list(ns, {
        labelSelector: one(q, 'labelSelector'), fieldSelector: one(q, 'fieldSelector'),
        limit: numberParam(one(q, 'limit')), continue: one(q, 'continue'),
        resourceVersion: one(q, 'resourceVersion'), resourceVersionMatch: one(q, 'resourceVersionMatch'),
      });
      if (accept.table) return send(reply, 200, tableOf(def, list.items, list.metadata, (one(q, 'includeObject') as IncludeObject) ?? 'Metadata'), accept);
      if (accept.partialMetadata) return send(reply, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: list.metadata, items: list.items.map(partialMetadata) }, accept);
      return send(reply, 200, list, accept);
    }
    if (method === 'POST') {
      if (def.namespaced && !ns) throw Errors.methodNotAllowed();
      const body = decodeObjectBody(req, def, deps, q);
      const created = await store.create(ns, body, { dryRun });
      return sendObject(reply, 201, def, created, accept);
    }
    if (method === 'DELETE') {
      const opts = deleteOptions(req, q);
      const list = await store.deleteCollection(ns, { labelSelector: one(q, 'labelSelector'), fieldSelector: one(q, 'fieldSelector') }, { ...opts, dryRun });
      return send(reply, 200, list, accept);
    }
    throw Errors.methodNotAllowed();
  }

  // ---------------------------------------------------------------- one object
  if (!sub) {
    switch (method) {
      case 'GET':
        if (ri.watchPath || truthy(one(q, 'watch'))) {
          // GET .../name?watch=true (and /watch/.../name): a watch of that one object, as
          // upstream turns it into a watch with fieldSelector metadata.name=<name>
          const fs = one(q, 'fieldSelector');
          return streamWatch(req, reply, store, ns, {
            resourceVersion: one(q, 'resourceVersion'),
            labelSelector: one(q, 'labelSelector'),
            fieldSelector: fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`,
            timeoutSeconds: numberParam(one(q, 'timeoutSeconds')),
            allowWatchBookmarks: truthy(one(q, 'allowWatchBookmarks')),
            table: accept.table ? (one(q, 'includeObject') as IncludeObject | undefined) ?? 'Metadata' : undefined,
          }, deps.log);
        }
        return sendObject(reply, 200, def, await store.get(ns, name), accept);
      case 'PUT': {
        const body = decodeObjectBody(req, def, deps, q);
        const { obj, created } = await store.update(ns, name, body, { dryRun });
        return sendObject(reply, created ? 201 : 200, def, obj, accept);
      }
      case 'PATCH': return sendObject(reply, 200, def, await patchObject(req, store, ns, name, q, deps, dryRun), accept);
      case 'DELETE': {
        const { obj, gone } = await store.delete(ns, name, { ...deleteOptions(req, q), dryRun });
        if (gone && !def.strategy.returnDeletedObject) return send(reply, 200, store.successStatus(obj), accept);
        return sendObject(reply, 200, def, obj, accept);
      }
      default: throw Errors.methodNotAllowed();
    }
  }

  switch (sub) {
    case 'status': {
      if (method === 'GET') return sendObject(reply, 200, def, await store.get(ns, name), accept);
      if (method === 'PUT') {
        const body = decodeObjectBody(req, def, deps, q);
        const rv = body.metadata?.resourceVersion;
        const obj = await store.guaranteedUpdate(ns, name, (cur) => {
          const next = structuredClone(body);
          next.metadata = { ...(next.metadata ?? {}), resourceVersion: rv || cur.metadata.resourceVersion };
          return next;
        }, { dryRun, subresource: 'status', preconditionRV: rv });
        return sendObject(reply, 200, def, obj, accept);
      }
      if (method === 'PATCH') return sendObject(reply, 200, def, await patchObject(req, store, ns, name, q, deps, dryRun, 'status'), accept);
      throw Errors.methodNotAllowed();
    }
    case 'scale': return handleScale(req, reply, store, ns, name, q, accept, dryRun);
    case 'binding': {
      if (method !== 'POST') throw Errors.methodNotAllowed();
      const body = decodeBody(req.body as Buffer | undefined, req.headers['content-type']) as KubeObject;
      const target = (body as { target?: { name?: string } })?.target?.name;
      if (!target) throw Errors.invalid('Binding', name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
      await store.guaranteedUpdate(ns, name, (pod) => {
        if (pod.metadata.deletionTimestamp) throw Errors.conflict('pods', name, `pod ${name} is being deleted, cannot be assigned to a host`);
        if (pod.spec?.nodeName) throw Errors.conflict('pods', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
        if (body.metadata?.uid && body.metadata.uid !== pod.metadata.uid) throw Errors.conflict('pods', name, 'the UID in the binding does not match the pod');
        pod.spec = { ...pod.spec, nodeName: target };
        const conds = ((pod.status?.conditions ?? []) as Array<{ type: string }>).filter((c) => c.type !== 'PodScheduled');
        conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } as never);
        pod.status = { ...pod.status, conditions: conds };
        return pod;
      }, { dryRun, subresource: 'binding' });
      const ok = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
      return send(reply, 201, ok, accept);
    }
    case 'finalize': {
      if (method !== 'PUT') throw Errors.methodNotAllowed();
      const body = decodeObjectBody(req, def, deps, q);
      const obj = await store.guaranteedUpdate(undefined, name, (cur) => {
        cur.spec = { ...cur.spec, finalizers: body.spec?.finalizers ?? [] };
        if (body.metadata?.resourceVersion) cur.metadata.resourceVersion = body.metadata.resourceVersion;
        return cur;
      }, { dryRun, subresource: 'finalize' });
      return sendObject(reply, 200, def, obj, accept);
    }
    case 'log': case 'exec': case 'attach': case 'portforward': {
      const pod = await store.get(ns, name);
      if (!pod.spec?.nodeName) throw Errors.badRequest(`pod ${name} does not have a host assigned`);
      if (!deps.podConnect) {
        throw Errors.unavailable(`pods/${sub} is not available: no kubelet connection is configured for node "${pod.spec.nodeName}" (the kubelet that serves logs and exec is not part of this cluster yet)`);
      }
      return deps.podConnect(req, reply, pod, sub);
    }
    default: throw Errors.resourceNotFound('the server could not find the requested resource');
  }
}

function subresourceAllowed(def: ResourceDef, sub: string): boolean {
  if (sub === 'status') return !!def.statusStrategy;
  if (sub === 'scale') return !!def.scale;
  if (sub === 'finalize') return def.kind === 'Namespace';
  return (def.extraSubresources ?? []).includes(sub);
}

function numberParam(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw Errors.badRequest(`invalid numeric parameter: ${JSON.stringify(v)}`);
  return n;
}

/** The RBAC-style verb of a request on a resource (undefined for subresource-only shapes). */
function verbOf(method: string, named: boolean, sub: boolean, watch: boolean): string | undefined {
  if (sub) return undefined;
  switch (method) {
    case 'GET': return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST': return named ? undefined : 'create';
    case 'PUT': return named ? 'update' : undefined;
    case 'PATCH': return named ? 'patch' : undefined;
    case 'DELETE': return named ? 'delete' : 'deletecollection';
    default: return undefined;
  }
}

/** Decodes a create/update body and checks kind, apiVersion and (per fieldValidation) unknown fields. */
export function decodeObjectBody(req: FastifyRequest, def: ResourceDef, deps: Pick<ResourceHandlerDeps, 'resolveRef' | 'log'>, q: Query): KubeObject {
  const raw = req.body as Buffer | undefined;
  const body = decodeBody(raw, req.headers['content-type']);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw Errors.badRequest(`the body must be a JSON object (a ${def.kind}), got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`);
  }
  const obj = body as KubeObject;
  const expectedAV = def.group ? `${def.group}/${def.version}` : def.version;
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw Errors.badRequest(`the kind in the request body (${String(obj.kind)}) does not match the resource at this path (${def.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectedAV) {
    throw Errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedAV})`);
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw Errors.badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: metadata must be an object`);
  }
  obj.metadata = obj.metadata ?? {};
  validateFields(req, def, deps, q, obj, mediaType(req.headers['content-type']).includes('json') || !req.headers['content-type'] ? raw?.toString('utf8') : undefined);
  return obj;
}

function validateFields(req: FastifyRequest, def: ResourceDef, deps: Pick<ResourceHandlerDeps, 'resolveRef'>, q: Query, obj: unknown, rawJson: string | undefined): void {
  const fv = parseFieldValidation(one(q, 'fieldValidation'));
  if (fv.error) throw Errors.badRequest(`fieldValidation: ${fv.error.message}`);
  const out = checkFieldValidation({ obj, rawJson, schema: def.schema, resolveRef: deps.resolveRef, mode: fv.mode, kind: def.kind, version: def.version });
  if (out.error) throw out.error;
  if (out.valueErrors.length) {
    const o = obj as KubeObject;
    throw Errors.invalid(def.kind, o?.metadata?.name ?? '', out.valueErrors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })), def.group || undefined);
  }
  if (out.warnings.length) addWarnings(req, out.warnings);
  // Warn/Ignore accept unknown fields but, as upstream's typed decoding, never store them
  pruneUnknownFields(obj, def.schema, deps.resolveRef);
}

function addWarnings(req: FastifyRequest, warnings: string[]): void {
  const r = req as FastifyRequest & { k8tsWarnings?: string[] };
  r.k8tsWarnings = [...(r.k8tsWarnings ?? []), ...warnings];
}

function deleteOptions(req: FastifyRequest, q: Query): Omit<DeleteOptions, 'dryRun'> {
  let opts: Omit<DeleteOptions, 'dryRun'> = {};
  const raw = req.body as Buffer | undefined;
  if (raw && raw.length && raw.toString('utf8').trim()) {
    const b = decodeBody(raw, req.headers['content-type']);
    if (typeof b !== 'object' || b === null || Array.isArray(b)) throw Errors.badRequest('DeleteOptions must be a JSON object');
    opts = b as DeleteOptions; delete (opts as DeleteOptions).dryRun;
  }
  const gp = one(q, 'gracePeriodSeconds');
  if (gp !== undefined) opts.gracePeriodSeconds = numberParam(gp);
  const pp = one(q, 'propagationPolicy');
  if (pp !== undefined) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw Errors.invalid('DeleteOptions', '', [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"` }]);
  }
  if (opts.gracePeriodSeconds !== undefined && (typeof opts.gracePeriodSeconds !== 'number' || opts.gracePeriodSeconds < 0)) {
    throw Errors.badRequest('gracePeriodSeconds must be a non-negative integer');
  }
  return opts;
}

async function patchObject(req: FastifyRequest, store: GenericStore, ns: string | undefined, name: string, q: Query, deps: ResourceHandlerDeps, dryRun: boolean, subresource?: 'status'): Promise<KubeObject> {
  const type = patchTypeFromContentType(req.headers['content-type']);
  const raw = (req.body as Buffer | undefined)?.toString('utf8') ?? '';
  if (!raw.trim()) throw Errors.badRequest('the patch body is empty');
  const def = store.def;
  return store.guaranteedUpdate(ns, name, (cur) => {
    const next = applyPatch(type, cur, raw, def.schema, deps.resolveRef) as KubeObject;
    if (typeof next.metadata !== 'object' || next.metadata === null) throw Errors.badRequest('metadata must be an object');
    if (next.kind !== def.kind || next.apiVersion !== cur.apiVersion) {
      throw Errors.badRequest('a patch may not change the kind or apiVersion of an object');
    }
    validateFields(req, def, deps, q, next, undefined);
    return next;
  }, { dryRun, subresource });
}

async function handleScale(req: FastifyRequest, reply: FastifyReply, store: GenericStore, ns: string | undefined, name: string, q: Query, accept: AcceptInfo, dryRun: boolean): Promise<void> {
  const scaleDef = store.def.scale!;
  const toScale = (o: KubeObject) => ({
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: scaleDef.getReplicas(o) },
    status: { replicas: scaleDef.statusReplicas(o), selector: scaleDef.selector(o) },
  });
  if (req.method === 'GET') return send(reply, 200, toScale(await store.get(ns, name)), accept);
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw Errors.methodNotAllowed();
  let precondition: string | undefined;
  const updated = await store.guaranteedUpdate(ns, name, (cur) => {
    const scale = toScale(cur) as KubeObject;
    let next: KubeObject;
    if (req.method === 'PUT') {
      next = decodeBody(req.body as Buffer | undefined, req.headers['content-type']) as KubeObject;
      if (typeof next !== 'object' || next === null) throw Errors.badRequest('the body must be a Scale object');
      precondition = next.metadata?.resourceVersion;
    } else {
      next = applyPatch(patchTypeFromContentType(req.headers['content-type']), scale, (req.body as Buffer | undefined)?.toString('utf8') ?? '') as KubeObject;
      if (next.metadata?.resourceVersion !== scale.metadata.resourceVersion) precondition = next.metadata?.resourceVersion;
    }
    const replicas = next.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
      throw Errors.invalid('Scale', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be an integer` }], 'autoscaling');
    }
    if (replicas < 0) {
      throw Errors.invalid('Scale', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` }], 'autoscaling');
    }
    if (precondition && precondition !== cur.metadata.resourceVersion) throw new StatusError('K8TS_ERR_CONFLICT', Errors.conflict(store.qualified, name).status);
    scaleDef.setReplicas(cur, replicas);
    return cur;
  }, { dryRun });
  return send(reply, 200, toScale(updated), accept);
}
