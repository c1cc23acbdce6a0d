// A tiny stand-in for the generic store's write path, for strategy tests: sets the fields
// the store owns, runs prepare + validation (strategy, and metadata like the server's
// validateMeta hook) and returns the object with the field errors. Used only by *.test.ts.
import type { FieldError, KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../../registry/types.js';
import { validateMetaFor } from '../validate-meta.js';
import { fakeContext, type FakeContext } from './fake-context.js';

export interface WriteResult {
  obj: KubeObject;
  errors: FieldError[];
}

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);
export { fields };

export async function simulateCreate(def: ResourceDef, input: KubeObject, ctx: FakeContext = fakeContext(), namespace = 'default'): Promise<WriteResult> {
  const obj: KubeObject = structuredClone(input);
  obj.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  obj.kind = def.kind;
  obj.metadata = obj.metadata ?? {};
  if (def.namespaced) obj.metadata.namespace = obj.metadata.namespace ?? namespace;
  else delete obj.metadata.namespace;
  obj.metadata.uid = 'uid-1';
  obj.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  obj.metadata.generation = 1;
  await def.strategy.prepareForCreate?.(obj, ctx);
  const errors = [...validateMetaFor(obj, def), ...(def.strategy.validate?.(obj) ?? [])];
  return { obj, errors };
}

export async function simulateUpdate(
  def: ResourceDef, next: KubeObject, old: KubeObject, ctx: FakeContext = fakeContext(), subresource?: 'status',
): Promise<WriteResult> {
  const strategy = subresource === 'status' ? def.statusStrategy! : def.strategy;
  const obj: KubeObject = structuredClone(next);
  obj.metadata = {
    ...obj.metadata,
    name: old.metadata.name,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    generation: old.metadata.generation,
  };
  if (def.namespaced) obj.metadata.namespace = old.metadata.namespace;
  await strategy.prepareForUpdate?.(obj, old, ctx);
  const errors = [
    ...validateMetaFor(obj, def),
    ...(strategy.validate?.(obj) ?? []),
    ...(strategy.validateUpdate?.(obj, old) ?? []),
  ];
  return { obj, errors };
}
