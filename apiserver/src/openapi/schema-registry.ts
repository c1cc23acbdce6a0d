// The registry of shared, named schema definitions that kinds' JSONSchemas point at with
// `$ref`. One registry serves request validation, strategic merge patch and OpenAPI.
//
// Contract:
// - Definitions are keyed by name. Upstream-style full names are preferred
//   (`io.k8s.api.core.v1.Container`); short names (`Container`) work too.
// - A `$ref` may be written `#/components/schemas/<name>` or just `<name>`. Resolution tries
//   the exact name first, then — when no definition has that exact name — the unique
//   definition whose last dotted segment equals it (`ObjectMeta` finds
//   `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`). An ambiguous or unknown name does
//   not resolve (undefined), and callers treat the value as undescribed.
// - The built-in definitions of meta-schemas.ts are included unless `builtins: false`; a
//   definition given by the caller under the same name replaces the built-in one.
// - Definitions are not copied: callers must not mutate them after registering.
import type { JSONSchema } from '../registry/types.js';
import { metaSchemas } from './meta-schemas.js';

export const COMPONENTS_PREFIX = '#/components/schemas/';

export interface SchemaRegistry {
  /** Resolves a `$ref` to its schema; usable wherever a `(ref) => JSONSchema | undefined` is expected. */
  readonly resolve: (ref: string) => JSONSchema | undefined;
  /** The registered name a `$ref` resolves to, or undefined. */
  canonicalName(ref: string): string | undefined;
  get(name: string): JSONSchema | undefined;
  /** All registered names, sorted. */
  names(): string[];
}

export interface SchemaRegistryOptions {
  /** include meta-schemas.ts (default true) */
  builtins?: boolean;
}

export function createSchemaRegistry(
  definitions: Record<string, JSONSchema> = {}, options: SchemaRegistryOptions = {},
): SchemaRegistry {
  const all = new Map<string, JSONSchema>();
  if (options.builtins !== false) for (const [name, s] of Object.entries(metaSchemas)) all.set(name, s);
  for (const [name, s] of Object.entries(definitions)) all.set(stripPrefix(name), s);

  // last dotted segment → names with that segment (for short-name lookups)
  const bySuffix = new Map<string, string[]>();
  for (const name of all.keys()) {
    const short = name.slice(name.lastIndexOf('.') + 1);
    const list = bySuffix.get(short) ?? [];
    list.push(name);
    bySuffix.set(short, list);
  }

  const canonicalName = (ref: string): string | undefined => {
    const name = stripPrefix(ref);
    if (all.has(name)) return name;
    const candidates = bySuffix.get(name);
    return candidates?.length === 1 ? candidates[0] : undefined;
  };

  return {
    resolve: (ref: string) => {
      const name = canonicalName(ref);
      return name === undefined ? undefined : all.get(name);
    },
    canonicalName,
    get: (name: string) => all.get(name),
    names: () => [...all.keys()].sort(),
  };
}

function stripPrefix(ref: string): string {
  return ref.startsWith(COMPONENTS_PREFIX) ? ref.slice(COMPONENTS_PREFIX.length) : ref;
}
