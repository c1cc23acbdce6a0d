// components.schemas of one group-version document: one schema per kind (named upstream-style,
// with `x-kubernetes-group-version-kind` as an ARRAY, as upstream writes it in schemas), one per
// list kind, the meta definitions every path refers to, and every shared definition reachable
// through `$ref`s — nothing else.
//
// Contract:
// - A kind's schema may be inline or a `$ref` (siblings next to the $ref win). Missing
//   top-level `apiVersion`, `kind` and `metadata` (→ ObjectMeta) properties are added, and
//   top-level fields without a description get a generic one, so `kubectl explain` has text.
// - Definitions are converted once per document; names come out sorted (stable JSON, stable hash).
import type { JSONSchema, ResourceDef } from '../registry/types.js';
import {
  API_RESOURCE_LIST, API_VERSION_DESCRIPTION, DELETE_OPTIONS, KIND_DESCRIPTION, LIST_META,
  LIST_METADATA_DESCRIPTION, METADATA_DESCRIPTION, OBJECT_META, PATCH, SCALE, SPEC_DESCRIPTION, STATUS,
  STATUS_DESCRIPTION, WATCH_EVENT,
} from './meta-schemas.js';
import { kindSchemaName } from './names.js';
import type { SchemaRegistry } from './schema-registry.js';
import { refTo, toOpenApiSchema, type ConvertContext, type OpenApiSchema } from './to-openapi-schema.js';

const TOP_LEVEL_DESCRIPTIONS: Record<string, string> = {
  apiVersion: API_VERSION_DESCRIPTION,
  kind: KIND_DESCRIPTION,
  metadata: METADATA_DESCRIPTION,
  spec: SPEC_DESCRIPTION,
  status: STATUS_DESCRIPTION,
};

export function listSchemaName(def: Pick<ResourceDef, 'group' | 'version' | 'listKind'>): string {
  return kindSchemaName(def.group, def.version, def.listKind);
}

export function kindComponentName(def: Pick<ResourceDef, 'group' | 'version' | 'kind'>): string {
  return kindSchemaName(def.group, def.version, def.kind);
}

/** Builds components.schemas for the resources of one group-version. */
export function buildComponents(defs: ResourceDef[], registry: SchemaRegistry, problems: string[]): Record<string, OpenApiSchema> {
  const out = new Map<string, OpenApiSchema>();
  const referenced = new Set<string>([STATUS, PATCH, DELETE_OPTIONS, WATCH_EVENT, API_RESOURCE_LIST, LIST_META, OBJECT_META]);
  if (defs.some((d) => d.scale)) referenced.add(SCALE);

  for (const def of defs) {
    const ctx: ConvertContext = { registry, referenced, problems, where: `${def.kind} (${def.plural})` };
    out.set(kindComponentName(def), kindSchema(def, registry, ctx));
    out.set(listSchemaName(def), listSchema(def));
  }

  // Reachable shared definitions, breadth-first. A kind's own name is never replaced.
  const done = new Set<string>(out.keys());
  const queue = [...referenced];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (done.has(name)) continue;
    done.add(name);
    const def = registry.get(name);
    if (!def) {
      problems.push(`components: definition ${JSON.stringify(name)} is not registered`);
      continue;
    }
    const found = new Set<string>();
    out.set(name, toOpenApiSchema(def, { registry, referenced: found, problems, where: name }));
    for (const n of found) if (!done.has(n)) queue.push(n);
  }
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The kind's schema with its top level completed, converted, with the GVK extension. */
function kindSchema(def: ResourceDef, registry: SchemaRegistry, ctx: ConvertContext): OpenApiSchema {
  const top = resolveTop(def.schema, registry, ctx);
  const properties: Record<string, JSONSchema> = { ...(top.properties ?? {}) };
  properties['apiVersion'] ??= { type: 'string' };
  properties['kind'] ??= { type: 'string' };
  properties['metadata'] ??= { $ref: OBJECT_META };
  for (const [field, text] of Object.entries(TOP_LEVEL_DESCRIPTIONS)) {
    const p = properties[field];
    if (p && p.description === undefined) properties[field] = { ...p, description: text };
  }
  const completed: JSONSchema = {
    ...top,
    description: top.description ?? `${def.kind} (${def.group ? `${def.group}/` : ''}${def.version}, resource "${def.plural}").`,
    type: top.type ?? 'object',
    properties: sortTopLevel(properties),
  };
  const converted = toOpenApiSchema(completed, ctx);
  converted['x-kubernetes-group-version-kind'] = [{ group: def.group, kind: def.kind, version: def.version }];
  return converted;
}

function listSchema(def: ResourceDef): OpenApiSchema {
  return {
    description: `${def.listKind} is a list of ${def.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: API_VERSION_DESCRIPTION },
      items: { type: 'array', description: `The ${def.kind} objects.`, items: refTo(kindComponentName(def)) },
      kind: { type: 'string', description: KIND_DESCRIPTION },
      metadata: { allOf: [refTo(LIST_META)], description: LIST_METADATA_DESCRIPTION },
    },
    'x-kubernetes-group-version-kind': [{ group: def.group, kind: def.listKind, version: def.version }],
  };
}

/** Follows a top-level $ref chain (local keywords win), so the kind gets its own component. */
function resolveTop(schema: JSONSchema, registry: SchemaRegistry, ctx: ConvertContext): JSONSchema {
  let cur = schema;
  for (let depth = 0; cur.$ref !== undefined && depth < 32; depth++) {
    const { $ref, ...local } = cur;
    const target = registry.resolve($ref);
    if (!target) {
      ctx.problems.push(`${ctx.where}: unresolved top-level $ref ${JSON.stringify($ref)}`);
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...local };
    }
    cur = { ...target, ...local };
  }
  return cur;
}

/** Properties in alphabetical order, as upstream writes them. */
function sortTopLevel(props: Record<string, JSONSchema>): Record<string, JSONSchema> {
  return Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
