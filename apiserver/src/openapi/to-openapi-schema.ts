// Turns a project JSONSchema into an OpenAPI v3 schema object for components.schemas.
//
// Contract:
// - Every `$ref` is rewritten to `#/components/schemas/<registered name>` (a short or prefixed
//   ref resolves through the SchemaRegistry) and the name is added to `referenced`, so the
//   caller can include the definition. A `$ref` with siblings (description, patch extensions)
//   becomes `{allOf: [{$ref}], ...siblings}` — the form OpenAPI 3.0 allows and the one both
//   kubectl's strategic-merge lookup (it takes allOf[0]) and `kubectl explain` follow.
// - An unresolvable `$ref` becomes a free-form object (x-kubernetes-preserve-unknown-fields)
//   and a line in `problems`, so the document stays valid.
// - `x-kubernetes-int-or-string` without a type gets `anyOf: [integer, string]`, as CRDs do.
// - Every other keyword and extension is copied unchanged; the input is not mutated.
import type { JSONSchema } from '../registry/types.js';
import { COMPONENTS_PREFIX, type SchemaRegistry } from './schema-registry.js';

export type OpenApiSchema = Record<string, unknown>;

export interface ConvertContext {
  registry: SchemaRegistry;
  /** registered names referenced by the converted schemas (filled in) */
  referenced: Set<string>;
  /** human-readable problems (filled in) */
  problems: string[];
  /** where the schema comes from, for problem messages */
  where: string;
}

export function refTo(name: string): OpenApiSchema {
  return { $ref: `${COMPONENTS_PREFIX}${name}` };
}

export function toOpenApiSchema(schema: JSONSchema, ctx: ConvertContext): OpenApiSchema {
  const out: OpenApiSchema = {};
  let refObject: OpenApiSchema | undefined;
  for (const [key, value] of Object.entries(schema) as Array<[string, unknown]>) {
    switch (key) {
      case '$ref': {
        const name = ctx.registry.canonicalName(value as string);
        if (name === undefined) {
          ctx.problems.push(`${ctx.where}: unresolved $ref ${JSON.stringify(value)}; published as a free-form object`);
          out['type'] ??= 'object';
          out['x-kubernetes-preserve-unknown-fields'] = true;
        } else {
          ctx.referenced.add(name);
          refObject = refTo(name);
        }
        break;
      }
      case 'properties':
        out[key] = Object.fromEntries(Object.entries(value as Record<string, JSONSchema>)
          .map(([name, sub]) => [name, toOpenApiSchema(sub, ctx)]));
        break;
      case 'items':
        out[key] = toOpenApiSchema(value as JSONSchema, ctx);
        break;
      case 'additionalProperties':
        out[key] = typeof value === 'object' && value !== null ? toOpenApiSchema(value as JSONSchema, ctx) : value;
        break;
      default:
        out[key] = structuredClone(value);
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true && out['type'] === undefined && out['anyOf'] === undefined && !refObject) {
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (!refObject) return out;
  return Object.keys(out).length === 0 ? refObject : { allOf: [refObject], ...out };
}
