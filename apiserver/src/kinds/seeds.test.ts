// Every manifest of the user's seed notes is accepted as written: it passes strict schema
// validation (no unknown fields, no type errors), the kind's defaults and validation, and
// what would be stored still matches the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { createSchemaRegistry } from '../openapi/schema-registry.js';
import { apiVersionOf, type ResourceDef } from '../registry/types.js';
import { validateAgainstSchema } from '../validation/schema-validate.js';
import { allResources, schemaDefinitions } from './index.js';
import { fakeContext } from './testing/fake-context.js';
import { parseManifest, seedManifests } from './testing/seed-manifests.js';
import { fields, simulateCreate, simulateUpdate } from './testing/store-sim.js';

const registry = createSchemaRegistry(schemaDefinitions);

function defFor(obj: KubeObject): ResourceDef {
  const def = allResources.find((d) => apiVersionOf(d) === obj.apiVersion && d.kind === obj.kind);
  assert.ok(def, `no kind for ${obj.apiVersion} ${obj.kind}`);
  return def;
}

function assertSchemaClean(obj: KubeObject, def: ResourceDef, what: string): void {
  const r = validateAgainstSchema(obj, def.schema, registry.resolve, { mode: 'Strict', rootName: def.kind });
  assert.deepEqual(r.unknownFields, [], `${what}: unknown fields`);
  assert.deepEqual(r.typeErrors.map((e) => e.decodeMessage), [], `${what}: type errors`);
  assert.deepEqual(r.valueErrors, [], `${what}: value errors`);
}

/** What `kubectl create deployment web --image=nginx` sends. */
const kubectlCreateDeployment: KubeObject = {
  kind: 'Deployment', apiVersion: 'apps/v1',
  metadata: { name: 'web', creationTimestamp: null as unknown as string, labels: { app: 'web' } },
  spec: {
    replicas: 1, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
    strategy: {},
  },
  status: {},
};

test('seed manifests pass schema validation, defaults and kind validation', async () => {
  const ctx = fakeContext();
  const inputs = [...seedManifests.map((m) => ({ what: m.source, obj: parseManifest(m) })), { what: 'kubectl create deployment', obj: kubectlCreateDeployment }];
  for (const { what, obj } of inputs) {
    const def = defFor(obj);
    assertSchemaClean(obj, def, what);
    const namespace = obj.metadata.namespace ?? 'default';
    const write = ctx.next();
    const { obj: stored, errors } = await simulateCreate(def, obj, write, namespace);
    assert.deepEqual(fields(errors), [], what);
    write.commit();
    assertSchemaClean(stored, def, `${what} (as stored)`);
  }
});

test('seed specifics: NodePorts 30008 and 32600 are kept, RC selector defaulted', async () => {
  const byName = (name: string): KubeObject => {
    const m = seedManifests.find((s) => parseManifest(s).metadata.name === name);
    assert.ok(m, name);
    return parseManifest(m);
  };
  const ctx = fakeContext();
  const svc = await simulateCreate(defFor(byName('nginx-service')), byName('nginx-service'), ctx);
  assert.equal(svc.obj.spec.ports[0].nodePort, 32600);
  const svc2 = await simulateCreate(defFor(byName('myapp-service')), byName('myapp-service'), ctx.next());
  assert.equal(svc2.obj.spec.ports[0].nodePort, 30008);
  assert.equal(svc2.obj.spec.ports[0].protocol, 'TCP');
  const rc = await simulateCreate(defFor(byName('myapp-rc')), byName('myapp-rc'));
  assert.deepEqual(rc.obj.spec.selector, { app: 'myapp', type: 'front-end' });
});

test('writing back what is stored changes nothing (the store then skips the write)', async () => {
  const ctx = fakeContext();
  for (const m of seedManifests) {
    const input = parseManifest(m);
    const def = defFor(input);
    const write = ctx.next();
    const { obj: stored } = await simulateCreate(def, input, write, input.metadata.namespace ?? 'default');
    write.commit();
    const again = ctx.next();
    const { obj, errors } = await simulateUpdate(def, structuredClone(stored), stored, again);
    assert.deepEqual(fields(errors), [], m.source);
    assert.deepStrictEqual(obj, stored, m.source);
    assert.deepEqual([again.pendingReserve, again.pendingRelease], [[], []], m.source);
    if (def.statusStrategy) {
      const st = await simulateUpdate(def, structuredClone(stored), stored, ctx.next(), 'status');
      assert.deepStrictEqual(st.obj, stored, `${m.source} (status)`);
    }
  }
});
