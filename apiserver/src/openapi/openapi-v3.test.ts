import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildOpenApi } from './openapi-v3.js';
import { allDefs, definitions, deploymentDef, leaseDef, nodeDef, podDef, widgetDef } from '../validation/test-schemas.js';

const built = buildOpenApi(allDefs, { definitions, serverVersion: 'v1.30.0' });
const doc = (key: string): any => JSON.parse(built.documents.get(key)!.json);
const core = doc('api/v1');
const apps = doc('apis/apps/v1');

const PATCH_REF = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

test('the index lists every group-version with a hashed serverRelativeURL', () => {
  assert.deepEqual(Object.keys(built.index.paths), [
    'api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/example.k8ts.dev/v1alpha1',
  ]);
  for (const [key, { serverRelativeURL }] of Object.entries(built.index.paths)) {
    const d = built.documents.get(key)!;
    assert.equal(serverRelativeURL, `/openapi/v3/${key}?hash=${d.hash}`);
    assert.match(d.hash, /^[0-9A-F]{128}$/);
    assert.equal(d.hash, createHash('sha512').update(d.json).digest('hex').toUpperCase());
  }
  assert.deepEqual(JSON.parse(built.indexJson), built.index);
  assert.deepEqual(built.problems, []);
});

test('hashes are stable across builds and independent of def order', () => {
  const again = buildOpenApi([...allDefs].reverse(), { definitions, serverVersion: 'v1.30.0' });
  assert.equal(again.indexJson, built.indexJson);
  for (const [k, d] of built.documents) assert.equal(again.documents.get(k)!.json, d.json);
  const changed = buildOpenApi(allDefs, { definitions, serverVersion: 'v1.31.0' });
  assert.notEqual(changed.documents.get('api/v1')!.hash, built.documents.get('api/v1')!.hash);
});

test('documents are OpenAPI 3.0 with info, paths and components', () => {
  assert.equal(core.openapi, '3.0.0');
  assert.deepEqual(core.info, { title: 'Kubernetes', version: 'v1.30.0' });
  assert.ok(core.paths['/api/v1/namespaces/{namespace}/pods/{name}']);
  assert.ok(core.components.schemas['io.k8s.api.core.v1.Pod']);
});

// What kubectl's queryParamVerifierV3 does: the first PATCH operation carrying the GVK
// (as an object) decides, by the names of that operation's own parameters.
function supportsFieldValidation(d: any, gvk: { group: string; version: string; kind: string }): boolean {
  for (const item of Object.values<any>(d.paths)) {
    const op = item.patch;
    const g = op?.['x-kubernetes-group-version-kind'];
    if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
    return op.parameters.some((p: any) => p.name === 'fieldValidation');
  }
  return false;
}

test('every PATCH operation carries the GVK object and the fieldValidation parameter', () => {
  for (const def of allDefs) {
    const d = doc(def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`);
    assert.ok(supportsFieldValidation(d, { group: def.group, version: def.version, kind: def.kind }), def.kind);
    for (const [path, item] of Object.entries<any>(d.paths)) {
      if (!item.patch) continue;
      const g = item.patch['x-kubernetes-group-version-kind'];
      assert.equal(typeof g, 'object', path);
      assert.ok(!Array.isArray(g), path);
      assert.ok(item.patch.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'), path);
    }
  }
});

test('the pod item path: operationIds, actions, parameters and PATCH content types', () => {
  const item = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'];
  assert.deepEqual(item.parameters.map((p: any) => [p.name, p.in]), [['name', 'path'], ['namespace', 'path'], ['pretty', 'query']]);
  assert.equal(item.get.operationId, 'readCoreV1NamespacedPod');
  assert.equal(item.put.operationId, 'replaceCoreV1NamespacedPod');
  assert.equal(item.delete.operationId, 'deleteCoreV1NamespacedPod');
  const patch = item.patch;
  assert.equal(patch.operationId, 'patchCoreV1NamespacedPod');
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.deepEqual(patch.parameters.map((p: any) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
    'application/apply-patch+yaml', 'application/json-patch+json',
    'application/merge-patch+json', 'application/strategic-merge-patch+json',
  ]);
  for (const c of Object.values<any>(patch.requestBody.content)) assert.equal(c.schema.$ref, PATCH_REF);
  assert.equal(patch.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.Pod');
  assert.deepEqual(item.put.parameters.map((p: any) => p.name), ['dryRun', 'fieldManager', 'fieldValidation']);
  assert.equal(item.put['x-kubernetes-action'], 'put');
  assert.deepEqual(item.delete.parameters.map((p: any) => p.name), ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy']);
});

test('collection, all-namespaces, status, subresource and watch paths of pods', () => {
  const col = core.paths['/api/v1/namespaces/{namespace}/pods'];
  assert.equal(col.get.operationId, 'listCoreV1NamespacedPod');
  assert.equal(col.get['x-kubernetes-action'], 'list');
  assert.ok(col.get.parameters.some((p: any) => p.name === 'labelSelector'));
  assert.equal(col.post.operationId, 'createCoreV1NamespacedPod');
  assert.equal(col.post['x-kubernetes-action'], 'post');
  assert.ok(col.post.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.equal(col.delete.operationId, 'deleteCoreV1CollectionNamespacedPod');
  assert.equal(col.delete['x-kubernetes-action'], 'deletecollection');
  assert.equal(col.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.PodList');

  assert.equal(core.paths['/api/v1/pods'].get.operationId, 'listCoreV1PodForAllNamespaces');
  const status = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'];
  assert.deepEqual([status.get.operationId, status.put.operationId, status.patch.operationId],
    ['readCoreV1NamespacedPodStatus', 'replaceCoreV1NamespacedPodStatus', 'patchCoreV1NamespacedPodStatus']);
  assert.deepEqual(status.patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });

  const log = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
  assert.equal(log.get.operationId, 'readCoreV1NamespacedPodLog');
  assert.ok(log.parameters.some((p: any) => p.name === 'tailLines'));
  const exec = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'];
  assert.equal(exec.post.operationId, 'connectCoreV1PostNamespacedPodExec');
  assert.equal(exec.get['x-kubernetes-action'], 'connect');
  assert.deepEqual(exec.get['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'PodExecOptions' });
  const binding = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding'];
  assert.equal(binding.post.operationId, 'createCoreV1NamespacedPodBinding');
  assert.deepEqual(binding.post['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Binding' });
  assert.deepEqual(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind'],
    { group: 'policy', version: 'v1', kind: 'Eviction' });

  assert.equal(core.paths['/api/v1/watch/pods'].get.operationId, 'watchCoreV1PodListForAllNamespaces');
  assert.equal(core.paths['/api/v1/watch/namespaces/{namespace}/pods'].get['x-kubernetes-action'], 'watchlist');
  assert.equal(core.paths['/api/v1/watch/namespaces/{namespace}/pods/{name}'].get.operationId, 'watchCoreV1NamespacedPod');
  assert.equal(core.paths['/api/v1/'].get.operationId, 'getCoreV1APIResources');
});

test('cluster-scoped kinds have no namespace segment or parameter', () => {
  const item = core.paths['/api/v1/nodes/{name}'];
  assert.equal(item.get.operationId, 'readCoreV1Node');
  assert.equal(item.patch.operationId, 'patchCoreV1Node');
  assert.deepEqual(item.parameters.map((p: any) => p.name), ['name', 'pretty']);
  assert.equal(core.paths['/api/v1/nodes'].get.operationId, 'listCoreV1Node');
  assert.equal(core.paths['/api/v1/nodes'].delete.operationId, 'deleteCoreV1CollectionNode');
  assert.equal(core.paths['/api/v1/watch/nodes/{name}'].get.operationId, 'watchCoreV1Node');
  assert.equal(core.paths['/api/v1/nodes/{name}/status'].get.operationId, 'readCoreV1NodeStatus');
  assert.equal(Object.keys(core.paths).some((p) => p.startsWith('/api/v1/namespaces/{namespace}/nodes')), false);
});

test('deployments: apps operationIds and the autoscaling/v1 Scale subresource', () => {
  const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.equal(item.patch.operationId, 'patchAppsV1NamespacedDeployment');
  assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(item.patch.tags, ['apps_v1']);
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.get.operationId, 'readAppsV1NamespacedDeploymentScale');
  assert.equal(scale.patch.operationId, 'patchAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.equal(scale.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
  assert.deepEqual(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'],
    [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);
  assert.equal(core.components.schemas['io.k8s.api.autoscaling.v1.Scale'], undefined, 'no scale in core/v1 here');
});

test('leases and a non-k8s.io group get upstream-style names', () => {
  const lease = doc('apis/coordination.k8s.io/v1');
  assert.equal(lease.paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases'].get.operationId, 'listCoordinationV1NamespacedLease');
  assert.ok(lease.components.schemas['io.k8s.api.coordination.v1.Lease']);
  assert.ok(lease.components.schemas['io.k8s.api.coordination.v1.LeaseList']);
  assert.ok(lease.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime']);

  const w = doc('apis/example.k8ts.dev/v1alpha1');
  const item = w.paths['/apis/example.k8ts.dev/v1alpha1/namespaces/{namespace}/widgets/{name}'];
  assert.equal(item.patch.operationId, 'patchExampleK8tsDevV1alpha1NamespacedWidget');
  assert.deepEqual(item.patch.tags, ['exampleK8tsDev_v1alpha1']);
  assert.ok(w.components.schemas['dev.k8ts.example.v1alpha1.Widget']);
  // verbs without watch and deletecollection: no watch paths, no collection DELETE
  assert.equal(Object.keys(w.paths).some((p) => p.includes('/watch/')), false);
  assert.equal(w.paths['/apis/example.k8ts.dev/v1alpha1/namespaces/{namespace}/widgets'].delete, undefined);
});

test('kind schemas: GVK array, completed top level with descriptions, list kinds', () => {
  const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.equal(pod.type, 'object');
  assert.equal(pod.description, podDef.schema.description);
  assert.deepEqual(Object.keys(pod.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  for (const [name, p] of Object.entries<any>(pod.properties)) assert.ok(p.description, `${name} has a description`);
  assert.deepEqual(pod.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);

  // node's schema had no apiVersion/kind: added
  const node = core.components.schemas['io.k8s.api.core.v1.Node'];
  assert.ok(node.properties.apiVersion && node.properties.kind);
  // widget had no metadata: ObjectMeta added
  const widget = doc('apis/example.k8ts.dev/v1alpha1').components.schemas['dev.k8ts.example.v1alpha1.Widget'];
  assert.deepEqual(widget.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);

  const list = core.components.schemas['io.k8s.api.core.v1.PodList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: '', kind: 'PodList', version: 'v1' }]);
  assert.equal(list.properties.items.items.$ref, '#/components/schemas/io.k8s.api.core.v1.Pod');

  for (const name of ['ObjectMeta', 'ListMeta', 'Status', 'Patch', 'DeleteOptions', 'WatchEvent']) {
    assert.ok(core.components.schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`], name);
  }
});

test('every $ref in every document resolves inside components.schemas', () => {
  for (const [key, d] of built.documents) {
    const parsed = JSON.parse(d.json);
    const refs: string[] = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string);
          else visit(x);
        }
      }
    };
    visit(parsed);
    assert.ok(refs.length > 0);
    for (const r of refs) {
      assert.ok(r.startsWith('#/components/schemas/'), `${key}: ${r}`);
      assert.ok(parsed.components.schemas[r.slice('#/components/schemas/'.length)], `${key}: ${r} resolves`);
    }
  }
});

test('unused shared definitions are left out of a document', () => {
  assert.equal(core.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'], undefined);
  assert.ok(apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec']);
  assert.ok(apps.components.schemas['io.k8s.api.core.v1.Container'], 'reachable through PodTemplateSpec');
  assert.equal(doc('apis/coordination.k8s.io/v1').components.schemas['io.k8s.api.core.v1.Container'], undefined);
});

// What strategicpatch.PatchMetaFromOpenAPIV3 does while kubectl apply computes a patch.
function lookup(d: any, schema: any, key: string, slice: boolean): { schema: any; mergeKey?: string; strategies: string[] } {
  const sub = schema.properties?.[key];
  if (!sub) throw new Error(`unable to find api field "${key}"`);
  const mergeKey = sub['x-kubernetes-patch-merge-key'];
  const strategies = sub['x-kubernetes-patch-strategy']?.split(',') ?? [];
  let next = slice && sub.items ? sub.items : sub;
  if (next.allOf?.length) next = next.allOf[0];
  if (next.$ref) {
    next = d.components.schemas[next.$ref.replace('#/components/schemas/', '')];
    if (!next) throw new Error(`unable to resolve ${sub.$ref}`);
  }
  return { schema: next, mergeKey, strategies };
}

test('kubectl\'s OpenAPI v3 strategic-merge lookups find merge keys through $refs and allOf', () => {
  const gvkSchema = (d: any, kind: string) => Object.values<any>(d.components.schemas)
    .find((s) => s['x-kubernetes-group-version-kind']?.some((g: any) => g.kind === kind));
  const dep = gvkSchema(apps, 'Deployment');
  const spec = lookup(apps, dep, 'spec', false);
  const template = lookup(apps, spec.schema, 'template', false);
  const podSpec = lookup(apps, template.schema, 'spec', false);
  const containers = lookup(apps, podSpec.schema, 'containers', true);
  assert.equal(containers.mergeKey, 'name');
  assert.deepEqual(containers.strategies, ['merge']);
  const ports = lookup(apps, containers.schema, 'ports', true);
  assert.equal(ports.mergeKey, 'containerPort');
  const strategy = lookup(apps, spec.schema, 'strategy', false);
  assert.deepEqual(strategy.strategies, ['retainKeys']);

  const meta = lookup(apps, dep, 'metadata', false);
  assert.ok(meta.schema.properties.labels);
  const owners = lookup(apps, meta.schema, 'ownerReferences', true);
  assert.equal(owners.mergeKey, 'uid');
  assert.ok(owners.schema.properties.uid);
  assert.deepEqual(lookup(apps, meta.schema, 'finalizers', true).strategies, ['merge']);
});

test('a $ref with siblings becomes allOf; int-or-string without a type gets anyOf', () => {
  const spec = apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
  assert.deepEqual(spec.properties.selector, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' });
  const dep = apps.components.schemas['io.k8s.api.apps.v1.Deployment'];
  assert.deepEqual(dep.properties.spec, {
    allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
    description: 'Desired behaviour of the Deployment.',
  });
  const ru = spec.properties.strategy.properties.rollingUpdate.properties;
  assert.deepEqual(ru.maxSurge, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
  assert.deepEqual(ru.maxUnavailable, { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
});

test('an unresolvable $ref is published as a free-form object and reported', () => {
  const broken = { ...widgetDef, schema: { type: 'object' as const, properties: { spec: { $ref: 'NoSuchThing', description: 'x' } } } };
  const out = buildOpenApi([broken]);
  assert.equal(out.problems.length, 1);
  assert.match(out.problems[0]!, /unresolved \$ref "NoSuchThing"/);
  const w = JSON.parse(out.documents.get('apis/example.k8ts.dev/v1alpha1')!.json);
  assert.deepEqual(w.components.schemas['dev.k8ts.example.v1alpha1.Widget'].properties.spec,
    { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'x' });
});

test('a kind whose schema is a $ref to a shared definition gets its own component with the GVK', () => {
  const leaseByRef = { ...leaseDef, schema: { $ref: 'io.k8s.api.coordination.v1.Lease' } };
  const out = buildOpenApi([leaseByRef], { definitions: { 'io.k8s.api.coordination.v1.Lease': leaseDef.schema } });
  const d = JSON.parse(out.documents.get('apis/coordination.k8s.io/v1')!.json);
  const lease = d.components.schemas['io.k8s.api.coordination.v1.Lease'];
  assert.deepEqual(lease['x-kubernetes-group-version-kind'], [{ group: 'coordination.k8s.io', kind: 'Lease', version: 'v1' }]);
  assert.ok(lease.properties.spec.properties.holderIdentity);
  assert.deepEqual(out.problems, []);
});

test('explain can find each resource\'s GVK from its list or item path', () => {
  for (const def of [podDef, deploymentDef, nodeDef]) {
    const d = def.group ? apps : core;
    const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
    const path = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}` : `${prefix}/${def.plural}`;
    assert.deepEqual(d.paths[path].get['x-kubernetes-group-version-kind'], { group: def.group, version: def.version, kind: def.kind });
  }
});
