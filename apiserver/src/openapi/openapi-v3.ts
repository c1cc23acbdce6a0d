// Builds the OpenAPI v3 documents kubectl downloads: the index (`GET /openapi/v3`) and one
// document per group-version (`GET /openapi/v3/api/v1`, `/openapi/v3/apis/apps/v1`, ...).
//
// Contract:
// - Pure: the same defs and definitions give byte-identical JSON and hashes. Call it once at
//   server start and keep the result (that is the cache); nothing here is lazy or global.
// - Index: {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=<H>"}, ...}}
//   where H is the upper-case hex SHA-512 of that document's JSON, as upstream.
// - Documents: openapi 3.0.0, info, paths (see paths.ts), components.schemas (see
//   components.ts) and the BearerToken security scheme.
// - `definitions` are the kinds' shared schemas (or a ready SchemaRegistry); `$ref`s that do
//   not resolve are published as free-form objects and listed in `problems` (log them).
import { createHash } from 'node:crypto';
import type { JSONSchema, ResourceDef } from '../registry/types.js';
import { buildComponents, kindComponentName, listSchemaName } from './components.js';
import { groupVersionKey } from './names.js';
import { groupVersionRootPath, resourcePaths, type PathItem } from './paths.js';
import { createSchemaRegistry, type SchemaRegistry } from './schema-registry.js';

export interface OpenApiDocument {
  /** the document, serialized once */
  json: string;
  /** upper-case hex SHA-512 of `json` */
  hash: string;
}

export interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

export interface BuiltOpenApi {
  index: OpenApiIndex;
  indexJson: string;
  /** keyed 'api/v1', 'apis/apps/v1', ... */
  documents: Map<string, OpenApiDocument>;
  /** unresolved references and other things worth a log line */
  problems: string[];
}

export interface BuildOpenApiOptions {
  /** the kinds' shared definitions, or a registry built from them (built-ins are always available) */
  definitions?: Record<string, JSONSchema> | SchemaRegistry;
  /** info.version, e.g. 'v1.30.0' */
  serverVersion?: string;
}

export function buildOpenApi(defs: readonly ResourceDef[], options: BuildOpenApiOptions = {}): BuiltOpenApi {
  const registry = isRegistry(options.definitions) ? options.definitions : createSchemaRegistry(options.definitions ?? {});
  const problems: string[] = [];
  checkUniqueNames(defs, problems);

  const byGroupVersion = new Map<string, ResourceDef[]>();
  for (const def of defs) {
    const key = groupVersionKey(def.group, def.version);
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), def]);
  }

  const documents = new Map<string, OpenApiDocument>();
  const index: OpenApiIndex = { paths: {} };
  for (const key of [...byGroupVersion.keys()].sort()) {
    const group = byGroupVersion.get(key)!.slice().sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
    const json = JSON.stringify(groupVersionDocument(group, registry, problems, options.serverVersion ?? 'unversioned'));
    const hash = createHash('sha512').update(json).digest('hex').toUpperCase();
    documents.set(key, { json, hash });
    index.paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { index, indexJson: JSON.stringify(index), documents, problems };
}

function groupVersionDocument(defs: ResourceDef[], registry: SchemaRegistry, problems: string[], version: string): object {
  const first = defs[0]!;
  const paths: Record<string, PathItem> = { ...groupVersionRootPath(first.group, first.version) };
  for (const def of defs) {
    Object.assign(paths, resourcePaths(def, { kind: kindComponentName(def), list: listSchemaName(def) }));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    components: {
      schemas: buildComponents(defs, registry, problems),
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function checkUniqueNames(defs: readonly ResourceDef[], problems: string[]): void {
  const seen = new Set<string>();
  for (const def of defs) {
    const key = `${groupVersionKey(def.group, def.version)} ${def.plural}`;
    if (seen.has(key)) problems.push(`resource ${key} is defined more than once; its paths are overwritten`);
    seen.add(key);
  }
}

function isRegistry(d: BuildOpenApiOptions['definitions']): d is SchemaRegistry {
  return typeof d === 'object' && d !== null && typeof (d as SchemaRegistry).resolve === 'function'
    && typeof (d as SchemaRegistry).canonicalName === 'function';
}
