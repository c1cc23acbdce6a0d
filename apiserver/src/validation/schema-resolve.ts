// Following `$ref` chains in the project's JSONSchemas, for the validator.
// Contract: extensions and keywords written next to a `$ref` (e.g. a description, or
// x-kubernetes-patch-strategy on a field whose type is a $ref) take precedence over the
// referenced schema — the same rule as patch/patch-schema.ts. The name of the last
// definition followed is reported, so error messages can name the "struct" a field
// belongs to (`DeploymentSpec.spec.replicas`, as Go's decoder does).
import type { JSONSchema } from '../registry/types.js';

/** Resolves a `$ref` string (a bare definition name or `#/components/schemas/<name>`). */
export type ResolveRef = (ref: string) => JSONSchema | undefined;

const MAX_REF_DEPTH = 32;
const COMPONENTS_PREFIX = '#/components/schemas/';

export interface ResolvedSchema {
  /** undefined when the $ref cannot be resolved (the value is then not described). */
  schema: JSONSchema | undefined;
  /** Short name of the last definition followed (`DeploymentSpec`), if any. */
  name?: string;
}

/** `io.k8s.api.apps.v1.DeploymentSpec` or `#/components/schemas/...` → `DeploymentSpec`. */
export function shortRefName(ref: string): string {
  const bare = ref.startsWith(COMPONENTS_PREFIX) ? ref.slice(COMPONENTS_PREFIX.length) : ref;
  const slash = bare.lastIndexOf('/');
  const last = slash >= 0 ? bare.slice(slash + 1) : bare;
  const dot = last.lastIndexOf('.');
  return dot >= 0 ? last.slice(dot + 1) : last;
}

export function resolveWithName(schema: JSONSchema | undefined, resolveRef: ResolveRef): ResolvedSchema {
  let cur = schema;
  let name: string | undefined;
  for (let depth = 0; cur?.$ref !== undefined && depth < MAX_REF_DEPTH; depth++) {
    const { $ref, ...local } = cur;
    const target = resolveRef($ref);
    if (!target) return { schema: undefined, name };
    name = shortRefName($ref);
    cur = { ...target, ...local };
  }
  return name === undefined ? { schema: cur } : { schema: cur, name };
}
