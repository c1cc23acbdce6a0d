// The kinds' schemas hang together: every $ref resolves, the patch extensions kubectl's
// strategic merge patch relies on sit where upstream puts them, and status is never required.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaRegistry } from '../openapi/schema-registry.js';
import { fieldSchema, itemSchema, listMergeInfo, patchStrategies } from '../patch/patch-schema.js';
import type { JSONSchema } from '../registry/types.js';
import { allResources, schemaDefinitions } from './index.js';

const registry = createSchemaRegistry(schemaDefinitions);
const resolve = registry.resolve;

function walk(schema: JSONSchema | undefined, visit: (s: JSONSchema) => void): void {
  if (!schema) return;
  visit(schema);
  for (const p of Object.values(schema.properties ?? {})) walk(p, visit);
  if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, visit);
  walk(schema.items, visit);
}

test('every $ref resolves', () => {
  const missing: string[] = [];
  const check = (s: JSONSchema): void => { if (s.$ref && !registry.canonicalName(s.$ref)) missing.push(s.$ref); };
  for (const def of allResources) walk(def.schema, check);
  for (const s of Object.values(schemaDefinitions)) walk(s, check);
  assert.deepEqual(missing, []);
});

function at(schema: JSONSchema, path: string): JSONSchema | undefined {
  let cur: JSONSchema | undefined = schema;
  for (const part of path.split('.')) {
    cur = part === '[]' ? itemSchema(cur, resolve) : fieldSchema(cur, part, resolve);
  }
  return cur;
}

const kind = (plural: string): JSONSchema => allResources.find((d) => d.plural === plural)!.schema;

test('strategic merge patch keys', () => {
  const pod = kind('pods');
  const cases: Array<[JSONSchema, string, string | undefined, string]> = [
    [pod, 'spec.containers', 'name', 'merge'],
    [pod, 'spec.initContainers', 'name', 'merge'],
    [pod, 'spec.volumes', 'name', 'merge,retainKeys'],
    [pod, 'spec.imagePullSecrets', 'name', 'merge'],
    [pod, 'spec.containers.[].ports', 'containerPort', 'merge'],
    [pod, 'spec.containers.[].env', 'name', 'merge'],
    [pod, 'spec.containers.[].volumeMounts', 'mountPath', 'merge'],
    [pod, 'status.conditions', 'type', 'merge'],
    [pod, 'metadata.ownerReferences', 'uid', 'merge'],
    [kind('deployments'), 'spec.template.spec.containers', 'name', 'merge'],
    [kind('deployments'), 'status.conditions', 'type', 'merge'],
    [kind('services'), 'spec.ports', 'port', 'merge'],
    [kind('nodes'), 'status.conditions', 'type', 'merge'],
    [kind('nodes'), 'status.addresses', 'type', 'merge'],
  ];
  for (const [schema, path, key, strategy] of cases) {
    const s = at(schema, path);
    assert.ok(s, path);
    assert.equal(listMergeInfo(s).mergeKey, key, path);
    assert.deepEqual([...patchStrategies(s)].join(','), strategy, path);
  }
  assert.equal(listMergeInfo(at(pod, 'spec.tolerations')).merge, false);
  assert.equal(at(pod, 'spec.tolerations')?.['x-kubernetes-list-type'], 'atomic');
  assert.ok(patchStrategies(at(pod, 'metadata.finalizers')).has('merge'));
  assert.ok(patchStrategies(at(kind('deployments'), 'spec.strategy')).has('retainKeys'));
});

test('status is never required; every kind has a schema with its GVK', () => {
  for (const def of allResources) {
    assert.ok(!(def.schema.required ?? []).includes('status'), def.kind);
    assert.deepEqual(def.schema['x-kubernetes-group-version-kind'], [{ group: def.group, version: def.version, kind: def.kind }]);
  }
});

test('resource identities match upstream discovery', () => {
  const rows = allResources.map((d) => [d.group || 'core', d.plural, d.kind, d.namespaced, (d.shortNames ?? []).join(','), (d.categories ?? []).join(','), !!d.statusStrategy, !!d.scale]);
  assert.deepEqual(rows, [
    ['core', 'namespaces', 'Namespace', false, 'ns', '', true, false],
    ['core', 'nodes', 'Node', false, 'no', '', true, false],
    ['core', 'pods', 'Pod', true, 'po', 'all', true, false],
    ['core', 'services', 'Service', true, 'svc', 'all', true, false],
    ['core', 'endpoints', 'Endpoints', true, 'ep', '', false, false],
    ['core', 'configmaps', 'ConfigMap', true, 'cm', '', false, false],
    ['core', 'secrets', 'Secret', true, '', '', false, false],
    ['core', 'events', 'Event', true, 'ev', '', false, false],
    ['core', 'resourcequotas', 'ResourceQuota', true, 'quota', '', true, false],
    ['core', 'replicationcontrollers', 'ReplicationController', true, 'rc', 'all', true, true],
    ['apps', 'deployments', 'Deployment', true, 'deploy', 'all', true, true],
    ['apps', 'replicasets', 'ReplicaSet', true, 'rs', 'all', true, true],
    ['coordination.k8s.io', 'leases', 'Lease', true, '', '', false, false],
  ]);
  const pods = allResources.find((d) => d.plural === 'pods')!;
  assert.deepEqual(pods.extraSubresources, ['binding', 'log', 'exec', 'portforward', 'attach']);
  for (const def of allResources) assert.equal(def.table.columns.filter((c) => c.priority === 0).length > 0, true);
});
