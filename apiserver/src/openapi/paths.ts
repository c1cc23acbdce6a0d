// The OpenAPI v3 `paths` of one resource, shaped like upstream's: collection (list / create /
// deletecollection), item (read / replace / patch / delete), the all-namespaces list for
// namespaced kinds, /status and /scale when present, deprecated /watch/ paths, and the
// extra subresources (log, exec, attach, portforward, proxy, binding, eviction, ...).
//
// Contract (what kubectl reads):
// - every operation has `x-kubernetes-action` (get, list, post, put, patch, delete,
//   deletecollection, watch, watchlist, connect — upstream's values) and
//   `x-kubernetes-group-version-kind` as an OBJECT {group, version, kind};
// - every PATCH operation lists `fieldValidation` among its own parameters and accepts
//   json-patch, merge-patch, strategic-merge-patch and apply-patch bodies, each referencing
//   io.k8s.apimachinery.pkg.apis.meta.v1.Patch;
// - operationIds follow upstream: listCoreV1NamespacedPod, patchAppsV1NamespacedDeployment,
//   readAppsV1NamespacedDeploymentScale, listCoreV1PodForAllNamespaces, readCoreV1Node.
import type { ResourceDef } from '../registry/types.js';
import { API_RESOURCE_LIST, DELETE_OPTIONS, PATCH, SCALE, STATUS, WATCH_EVENT } from './meta-schemas.js';
import { operationGroupVersion, tagName, urlPrefix } from './names.js';
import {
  createParams, deleteCollectionParams, deleteParams, execParams, listParams, logParams, nameParam,
  namespaceParam, patchParams, pretty, updateParams, type OpenApiParameter,
} from './parameters.js';
import { refTo, type OpenApiSchema } from './to-openapi-schema.js';

export type PathItem = Record<string, unknown>;
type Operation = Record<string, unknown>;
interface Gvk { group: string; version: string; kind: string }

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const JSON_YAML = ['application/json', 'application/yaml'];
const LIST_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
const PATCH_TYPES = [
  'application/apply-patch+yaml', 'application/json-patch+json',
  'application/merge-patch+json', 'application/strategic-merge-patch+json',
];

const content = (schema: OpenApiSchema, types = JSON_YAML): Record<string, unknown> =>
  Object.fromEntries(types.map((t) => [t, { schema }]));
const response = (description: string, schema: OpenApiSchema, types = JSON_YAML) => ({ description, content: content(schema, types) });
const ok = (schema: OpenApiSchema, types = JSON_YAML) => ({ '200': response('OK', schema, types) });
const written = (schema: OpenApiSchema, accepted: boolean) => ({
  '200': response('OK', schema),
  '201': response('Created', schema),
  ...(accepted ? { '202': response('Accepted', schema) } : {}),
});
const body = (schema: OpenApiSchema, types = ['*/*'], required = true) => ({ content: content(schema, types), ...(required ? { required } : {}) });

/** The component names of a resource's own schemas. */
export interface ResourceRefs {
  kind: string;
  list: string;
}

/** The paths of one resource, keyed by URL template. */
export function resourcePaths(def: ResourceDef, refs: ResourceRefs): Record<string, PathItem> {
  const b = new PathBuilder(def, refs);
  return b.build();
}

/** `GET /apis/apps/v1/`: the group-version's resource list (upstream's getAppsV1APIResources). */
export function groupVersionRootPath(group: string, version: string): Record<string, PathItem> {
  const gv = operationGroupVersion(group, version);
  return {
    [`${urlPrefix(group, version)}/`]: {
      get: {
        description: 'get available resources',
        operationId: `get${gv}APIResources`,
        responses: ok(refTo(API_RESOURCE_LIST)),
        tags: [tagName(group, version)],
      },
    },
  };
}

class PathBuilder {
  private readonly gv: string;
  private readonly ns: string;
  private readonly tag: string;
  private readonly gvk: Gvk;
  private readonly verbs: Set<string>;
  private readonly prefix: string;
  private readonly kindRef: OpenApiSchema;
  private readonly listRef: OpenApiSchema;
  private readonly paths: Record<string, PathItem> = {};

  constructor(private readonly def: ResourceDef, refs: ResourceRefs) {
    this.gv = operationGroupVersion(def.group, def.version);
    this.ns = def.namespaced ? 'Namespaced' : '';
    this.tag = tagName(def.group, def.version);
    this.gvk = { group: def.group, version: def.version, kind: def.kind };
    this.verbs = new Set(def.verbs ?? DEFAULT_VERBS);
    this.prefix = urlPrefix(def.group, def.version);
    this.kindRef = refTo(refs.kind);
    this.listRef = refTo(refs.list);
  }

  build(): Record<string, PathItem> {
    const { def } = this;
    const scope = def.namespaced ? `/namespaces/{namespace}` : '';
    const collection = `${this.prefix}${scope}/${def.plural}`;
    const item = `${collection}/{name}`;
    const scopeParams = def.namespaced ? [namespaceParam] : [];

    if (def.namespaced && this.verbs.has('list')) this.allNamespacesList();
    this.collection(collection, scopeParams);
    this.item(item, scopeParams);
    if (def.statusStrategy) this.status(`${item}/status`, scopeParams);
    if (def.scale) this.scale(`${item}/scale`, scopeParams);
    for (const sub of def.extraSubresources ?? []) this.extra(sub, `${item}/${sub}`, scopeParams);
    if (this.verbs.has('watch')) this.watchPaths();
    return this.paths;
  }

  private op(id: string, action: string, description: string, extra: Operation, gvk: Gvk = this.gvk): Operation {
    return {
      description,
      operationId: id,
      ...extra,
      tags: [this.tag],
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': { ...gvk },
    };
  }

  private add(path: string, parameters: OpenApiParameter[], ops: Record<string, Operation | undefined>): void {
    const entries = Object.entries(ops).filter((e): e is [string, Operation] => e[1] !== undefined);
    if (entries.length === 0) return;
    this.paths[path] = { ...Object.fromEntries(entries), parameters };
  }

  private allNamespacesList(): void {
    const { def, gv } = this;
    this.add(`${this.prefix}/${def.plural}`, [...listParams, pretty], {
      get: this.op(`list${gv}${def.kind}ForAllNamespaces`, 'list', `list or watch objects of kind ${def.kind}`,
        { responses: ok(this.listRef, LIST_TYPES) }),
    });
  }

  private collection(path: string, scopeParams: OpenApiParameter[]): void {
    const { def, gv, ns, verbs } = this;
    const k = def.kind;
    this.add(path, [...scopeParams, pretty], {
      get: verbs.has('list') ? this.op(`list${gv}${ns}${k}`, 'list', `list or watch objects of kind ${k}`,
        { parameters: listParams, responses: ok(this.listRef, LIST_TYPES) }) : undefined,
      post: verbs.has('create') ? this.op(`create${gv}${ns}${k}`, 'post', `create a ${k}`,
        { parameters: createParams, requestBody: body(this.kindRef), responses: written(this.kindRef, true) }) : undefined,
      delete: verbs.has('deletecollection') ? this.op(`delete${gv}Collection${ns}${k}`, 'deletecollection', `delete collection of ${k}`,
        { parameters: deleteCollectionParams, requestBody: body(refTo(DELETE_OPTIONS), ['application/json'], false), responses: ok(refTo(STATUS)) }) : undefined,
    });
  }

  private item(path: string, scopeParams: OpenApiParameter[]): void {
    const { def, gv, ns, verbs } = this;
    const k = def.kind;
    this.add(path, [nameParam(k), ...scopeParams, pretty], {
      get: verbs.has('get') ? this.op(`read${gv}${ns}${k}`, 'get', `read the specified ${k}`,
        { responses: ok(this.kindRef) }) : undefined,
      put: verbs.has('update') ? this.op(`replace${gv}${ns}${k}`, 'put', `replace the specified ${k}`,
        { parameters: updateParams, requestBody: body(this.kindRef), responses: written(this.kindRef, false) }) : undefined,
      patch: verbs.has('patch') ? this.patchOp(`patch${gv}${ns}${k}`, `partially update the specified ${k}`, this.kindRef) : undefined,
      delete: verbs.has('delete') ? this.op(`delete${gv}${ns}${k}`, 'delete', `delete a ${k}`,
        { parameters: deleteParams, requestBody: body(refTo(DELETE_OPTIONS), ['application/json'], false),
          responses: { '200': response('OK', refTo(STATUS)), '202': response('Accepted', refTo(STATUS)) } }) : undefined,
    });
  }

  private patchOp(id: string, description: string, result: OpenApiSchema, gvk: Gvk = this.gvk): Operation {
    return this.op(id, 'patch', description, {
      parameters: patchParams,
      requestBody: body(refTo(PATCH), PATCH_TYPES),
      responses: written(result, false),
    }, gvk);
  }

  /** get / put / patch on a subresource that reads and writes `schema`. */
  private readWriteSubresource(path: string, scopeParams: OpenApiParameter[], suffix: string, what: string, schema: OpenApiSchema, gvk: Gvk): void {
    const { def, gv, ns } = this;
    const k = def.kind;
    this.add(path, [nameParam(k, `${what}`), ...scopeParams, pretty], {
      get: this.op(`read${gv}${ns}${k}${suffix}`, 'get', `read ${suffix.toLowerCase()} of the specified ${k}`, { responses: ok(schema) }, gvk),
      put: this.op(`replace${gv}${ns}${k}${suffix}`, 'put', `replace ${suffix.toLowerCase()} of the specified ${k}`,
        { parameters: updateParams, requestBody: body(schema), responses: written(schema, false) }, gvk),
      patch: this.patchOp(`patch${gv}${ns}${k}${suffix}`, `partially update ${suffix.toLowerCase()} of the specified ${k}`, schema, gvk),
    });
  }

  private status(path: string, scopeParams: OpenApiParameter[]): void {
    this.readWriteSubresource(path, scopeParams, 'Status', this.def.kind, this.kindRef, this.gvk);
  }

  private scale(path: string, scopeParams: OpenApiParameter[]): void {
    this.readWriteSubresource(path, scopeParams, 'Scale', 'Scale', refTo(SCALE), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  }

  private extra(sub: string, path: string, scopeParams: OpenApiParameter[]): void {
    const { def, gv, ns } = this;
    const k = def.kind;
    const free: OpenApiSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const text: OpenApiSchema = { type: 'string' };
    const params = [nameParam(k), ...scopeParams];
    switch (sub) {
      case 'log':
        this.add(path, [...params, ...logParams, pretty], {
          get: this.op(`read${gv}${ns}${k}Log`, 'get', `read log of the specified ${k}`,
            { responses: ok(text, ['text/plain', 'application/json', 'application/yaml']) }),
        });
        return;
      case 'exec':
      case 'attach':
      case 'portforward':
      case 'proxy': {
        const opName = capitalize(sub);
        const optionsKind = `${k}${sub === 'portforward' ? 'PortForward' : opName}Options`;
        const gvk = { group: def.group, version: def.version, kind: optionsKind };
        const connect = (method: string): Operation => this.op(`connect${gv}${method}${ns}${k}${opName}`, 'connect',
          `connect ${method.toUpperCase()} requests to ${sub} of ${k}`, { responses: ok(text, ['*/*']) }, gvk);
        this.add(path, sub === 'exec' ? [...params, ...execParams] : params, { get: connect('Get'), post: connect('Post') });
        return;
      }
      default: {
        const gvk = sub === 'binding' ? { group: '', version: 'v1', kind: 'Binding' }
          : sub === 'eviction' ? { group: 'policy', version: 'v1', kind: 'Eviction' }
          : { group: def.group, version: def.version, kind: capitalize(sub) };
        this.add(path, [...params, pretty], {
          post: this.op(`create${gv}${ns}${k}${capitalize(sub)}`, 'post', `create ${sub} of a ${k}`,
            { parameters: createParams, requestBody: body(free), responses: written(free, true) }, gvk),
        });
      }
    }
  }

  private watchPaths(): void {
    const { def, gv, prefix } = this;
    const k = def.kind;
    const events = ok(refTo(WATCH_EVENT), ['application/json', 'application/yaml', 'application/json;stream=watch']);
    const watchOp = (id: string, action: string, what: string): Operation =>
      this.op(id, action, `watch ${what}. deprecated: use the 'watch' parameter with a list operation instead${action === 'watch' ? ', filtered to a single item with the \'fieldSelector\' parameter' : ''}.`,
        { responses: events });
    const params = [...listParams, pretty];
    if (def.namespaced) {
      this.add(`${prefix}/watch/${def.plural}`, params, {
        get: watchOp(`watch${gv}${k}ListForAllNamespaces`, 'watchlist', `individual changes to a list of ${k}`),
      });
      this.add(`${prefix}/watch/namespaces/{namespace}/${def.plural}`, [namespaceParam, ...params], {
        get: watchOp(`watch${gv}Namespaced${k}List`, 'watchlist', `individual changes to a list of ${k}`),
      });
      this.add(`${prefix}/watch/namespaces/{namespace}/${def.plural}/{name}`, [nameParam(k), namespaceParam, ...params], {
        get: watchOp(`watch${gv}Namespaced${k}`, 'watch', `changes to an object of kind ${k}`),
      });
    } else {
      this.add(`${prefix}/watch/${def.plural}`, params, {
        get: watchOp(`watch${gv}${k}List`, 'watchlist', `individual changes to a list of ${k}`),
      });
      this.add(`${prefix}/watch/${def.plural}/{name}`, [nameParam(k), ...params], {
        get: watchOp(`watch${gv}${k}`, 'watch', `changes to an object of kind ${k}`),
      });
    }
  }
}

function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
