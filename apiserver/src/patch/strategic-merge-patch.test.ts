import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '@k8ts/shared';
import { strategicMergePatch } from './strategic-merge-patch.js';
import { deepFreeze, deploymentSchema, podSchema, resolveRef, serviceSchema } from './test-schemas.js';
import type { JSONSchema } from '../registry/types.js';

const pod = (original: unknown, patch: unknown) => strategicMergePatch(deepFreeze(original), deepFreeze(patch), podSchema, resolveRef) as any;
const deploy = (original: unknown, patch: unknown) => strategicMergePatch(deepFreeze(original), deepFreeze(patch), deploymentSchema, resolveRef) as any;

function rejects(fn: () => unknown, code: number, msg?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.httpCode, code, e.message);
    if (msg) assert.match(e.message, msg);
    return true;
  });
}

const livePod = () => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}', keep: 'me' },
    finalizers: ['a.example/f1', 'b.example/f2'],
  },
  spec: {
    containers: [
      {
        name: 'web', image: 'nginx:1.24',
        ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https' }],
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        args: ['--x', '--y'],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
      },
      { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
    ],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd', zone: 'a' },
    restartPolicy: 'Always',
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] },
});

const liveDeployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': '3' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.24', ports: [{ containerPort: 80 }] }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
  status: { replicas: 2, observedGeneration: 3 },
});

// ---- kubectl apply (client-side three-way patches as kubectl 1.27–1.33 sends them) ----

test('apply: image change with $setElementOrder and a new last-applied annotation', () => {
  const out = pod(livePod(), {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' } },
    spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.25', name: 'web' }] },
  });
  const web = out.spec.containers[0];
  assert.equal(web.image, 'nginx:1.25');
  assert.deepEqual(web.ports, livePod().spec.containers[0]!.ports); // untouched fields survive
  assert.deepEqual(web.env, livePod().spec.containers[0]!.env);
  assert.equal(out.spec.containers[1].name, 'sidecar');
  assert.deepEqual(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n', keep: 'me' });
  assert.ok(!JSON.stringify(out).includes('$setElementOrder'));
  assert.deepEqual(out.status, livePod().status);
});

test('apply: the single-container order from the brief keeps the only container first', () => {
  const live = { spec: { containers: [{ name: 'web', image: 'nginx:1.24' }] } };
  const out = pod(live, {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '...' } },
    spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ image: 'nginx:1.25', name: 'web' }] },
  });
  assert.deepEqual(out, {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '...' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
  });
});

test('apply: removing a container with $patch: delete', () => {
  const out = pod(livePod(), {
    spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] },
  });
  assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['web']);
  assert.equal(out.spec.containers[0].image, 'nginx:1.24');
});

test('apply: adding a container and reordering by $setElementOrder', () => {
  const out = pod(livePod(), {
    spec: {
      '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'log' }, { name: 'web' }],
      containers: [{ name: 'log', image: 'fluentbit' }],
    },
  });
  assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['sidecar', 'log', 'web']);
  assert.deepEqual(out.spec.containers[1], { name: 'log', image: 'fluentbit' });
});

test('apply: an order with no patch list only reorders', () => {
  const out = pod(livePod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] } });
  assert.deepEqual(out.spec.containers.map((c: any) => c.name), ['sidecar', 'web']);
  assert.equal(out.spec.containers[1].image, 'nginx:1.24');
});

test('apply: server-only items keep their place among ordered items', () => {
  const live = { spec: { containers: [{ name: 'a' }, { name: 'injected' }, { name: 'b' }] } };
  const changed = pod(live, { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'x' }] } });
  assert.deepEqual(changed.spec.containers.map((c: any) => c.name), ['a', 'injected', 'b']);
  const added = pod(live, { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [{ name: 'c' }] } });
  assert.deepEqual(added.spec.containers.map((c: any) => c.name), ['a', 'injected', 'b', 'c']);
});

test('apply: nested merge lists (ports by containerPort, env by name) with their own orders', () => {
  const out = pod(livePod(), {
    spec: {
      '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
      containers: [{
        name: 'web',
        '$setElementOrder/ports': [{ containerPort: 8080 }, { containerPort: 80 }],
        ports: [{ containerPort: 8080, name: 'alt' }, { containerPort: 80, name: 'web' }, { $patch: 'delete', containerPort: 443 }],
        '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }],
        env: [{ name: 'C', value: '3' }, { $patch: 'delete', name: 'B' }],
      }],
    },
  });
  const web = out.spec.containers[0];
  assert.deepEqual(web.ports, [{ containerPort: 8080, name: 'alt' }, { containerPort: 80, name: 'web', protocol: 'TCP' }]);
  assert.deepEqual(web.env, [{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
});

test('apply: removed fields arrive as null; a null for an absent field is not stored', () => {
  const out = pod(livePod(), {
    metadata: { labels: { app: null, tier: 'fe' }, annotations: { keep: null, never: null } },
    spec: {
      '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
      containers: [{ name: 'web', resources: { limits: { memory: null } }, args: null }],
      nodeSelector: null,
      priorityClassName: null,
    },
  });
  assert.deepEqual(out.metadata.labels, { tier: 'fe' });
  assert.deepEqual(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}' });
  assert.deepEqual(out.spec.containers[0].resources, { limits: { cpu: '500m' } });
  assert.equal('args' in out.spec.containers[0], false);
  assert.equal('nodeSelector' in out.spec, false);
  assert.equal('priorityClassName' in out.spec, false);
});

test('apply: switching the deployment strategy uses $retainKeys', () => {
  const out = deploy(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  // retainKeys also drops live keys the patch does not mention
  const out2 = deploy(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate' } } });
  assert.deepEqual(out2.spec.strategy, { type: 'RollingUpdate' });
});

test('apply: switching a volume source uses $retainKeys inside a merge list item', () => {
  const out = deploy(liveDeployment(), {
    spec: { template: { spec: {
      '$setElementOrder/volumes': [{ name: 'data' }],
      volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }],
    } } },
  });
  assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
});

test('apply: a whole new subtree lands without nulls or directives', () => {
  const out = pod({ metadata: { name: 'p' } }, {
    metadata: { labels: { a: '1', gone: null } },
    spec: {
      '$setElementOrder/containers': [{ name: 'web' }],
      containers: [{ name: 'web', image: 'nginx', env: [{ name: 'X', value: null }], '$setElementOrder/env': [{ name: 'X' }] }],
      nodeSelector: { $patch: 'replace', a: 'b' },
    },
  });
  assert.deepEqual(out, {
    metadata: { name: 'p', labels: { a: '1' } },
    spec: { containers: [{ name: 'web', image: 'nginx', env: [{ name: 'X' }] }], nodeSelector: { a: 'b' } },
  });
});

test('apply: finalizers (merge list of primitives) with $deleteFromPrimitiveList and $setElementOrder', () => {
  const out = pod(livePod(), {
    metadata: {
      '$deleteFromPrimitiveList/finalizers': ['a.example/f1'],
      '$setElementOrder/finalizers': ['c.example/f3', 'b.example/f2'],
      finalizers: ['c.example/f3'],
    },
  });
  assert.deepEqual(out.metadata.finalizers, ['c.example/f3', 'b.example/f2']);
});

// ---- other kubectl commands ----

test('kubectl set image: containers merged by name, nothing else touched', () => {
  const live = liveDeployment();
  const out = deploy(live, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } });
  const expected = structuredClone(live);
  expected.spec.template.spec.containers[0]!.image = 'nginx:1.26';
  assert.deepEqual(out, expected);
});

test('kubectl rollout restart / pause: plain nested maps', () => {
  const out = deploy(liveDeployment(), {
    spec: { paused: true, template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } },
  });
  assert.equal(out.spec.paused, true);
  assert.deepEqual(out.spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } });
});

test('kubectl label / annotate sent as strategic patches behave like merge patches', () => {
  const out = pod(livePod(), { metadata: { labels: { app: null, env: 'prod' } } });
  assert.deepEqual(out.metadata.labels, { env: 'prod' });
});

// ---- list strategies ----

test('lists without a merge strategy are replaced (args, tolerations)', () => {
  const out = pod(livePod(), {
    spec: { tolerations: [{ key: 'k2', operator: 'Equal', effect: null }], containers: [{ name: 'sidecar', args: ['sleep', '1'] }] },
  });
  assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Equal' }]);
  assert.deepEqual(out.spec.containers[1].args, ['sleep', '1']);
  assert.equal(out.spec.containers.length, 2);
});

test('a merge list of primitives is a set union', () => {
  const out = pod(livePod(), { metadata: { finalizers: ['b.example/f2', 'c.example/f3', 'c.example/f3'] } });
  assert.deepEqual(out.metadata.finalizers, ['a.example/f1', 'b.example/f2', 'c.example/f3']);
});

test('ownerReferences merge by uid, status conditions by type', () => {
  const live = {
    metadata: { ownerReferences: [{ uid: 'o1', kind: 'ReplicaSet', name: 'rs1', controller: true }] },
    status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Starting' }, { type: 'Initialized', status: 'True' }] },
  };
  const out = pod(live, {
    metadata: { ownerReferences: [{ uid: 'o2', kind: 'Node', name: 'n1' }, { uid: 'o1', controller: false }] },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: null }, { type: 'PodScheduled', status: 'True' }] },
  });
  assert.deepEqual(out.metadata.ownerReferences, [
    { uid: 'o1', kind: 'ReplicaSet', name: 'rs1', controller: false },
    { uid: 'o2', kind: 'Node', name: 'n1' },
  ]);
  assert.deepEqual(out.status.conditions, [
    { type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }, { type: 'PodScheduled', status: 'True' },
  ]);
});

test('service ports merge by port', () => {
  const live = deepFreeze({ spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080, nodePort: 30080, name: 'http' }, { port: 443, name: 'https' }] } });
  const out = strategicMergePatch(live, {
    spec: { '$setElementOrder/ports': [{ port: 80 }, { port: 9090 }], ports: [{ port: 80, targetPort: 'web' }, { port: 9090, name: 'metrics' }, { port: 443, $patch: 'delete' }] },
  }, serviceSchema, resolveRef) as any;
  assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 'web', nodePort: 30080, name: 'http' }, { port: 9090, name: 'metrics' }]);
});

test('initContainers, volumeMounts (by mountPath) and imagePullSecrets merge too', () => {
  const live = { spec: {
    initContainers: [{ name: 'init', image: 'a', volumeMounts: [{ name: 'v', mountPath: '/data' }] }],
    imagePullSecrets: [{ name: 'reg1' }],
  } };
  const out = pod(live, { spec: {
    initContainers: [{ name: 'init', volumeMounts: [{ mountPath: '/data', readOnly: true }, { mountPath: '/cfg', name: 'c' }] }],
    imagePullSecrets: [{ name: 'reg2' }],
  } });
  assert.deepEqual(out.spec.initContainers[0].volumeMounts, [{ name: 'v', mountPath: '/data', readOnly: true }, { mountPath: '/cfg', name: 'c' }]);
  assert.deepEqual(out.spec.imagePullSecrets, [{ name: 'reg1' }, { name: 'reg2' }]);
});

// ---- $patch directives ----

test('$patch: replace on a map replaces it', () => {
  const out = pod(livePod(), { spec: { nodeSelector: { $patch: 'replace', only: 'this' } } });
  assert.deepEqual(out.spec.nodeSelector, { only: 'this' });
});

test('$patch: replace as a list item replaces the list', () => {
  const out = pod(livePod(), { spec: { containers: [{ name: 'solo', image: 'x' }, { $patch: 'replace' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'solo', image: 'x' }]);
  const prim = pod(livePod(), { metadata: { finalizers: [{ $patch: 'replace' }, 'z'] } });
  assert.deepEqual(prim.metadata.finalizers, ['z']);
  const empty = pod(livePod(), { spec: { containers: [{ $patch: 'replace' }] } });
  assert.deepEqual(empty.spec.containers, []);
});

test('$patch: delete on a map empties it (upstream behaviour); $patch: merge is the default', () => {
  const out = pod(livePod(), { spec: { nodeSelector: { $patch: 'delete' } }, metadata: { labels: { $patch: 'merge', b: '2' } } });
  assert.deepEqual(out.spec.nodeSelector, {});
  assert.deepEqual(out.metadata.labels, { app: 'web', b: '2' });
});

test('a $patch: delete item removes every item with that key, before patch items merge', () => {
  const live = { spec: { containers: [{ name: 'a', image: '1' }, { name: 'a', image: 'dup' }, { name: 'b' }] } };
  const out = pod(live, { spec: { containers: [{ name: 'a', image: 'fresh' }, { name: 'a', $patch: 'delete' }] } });
  assert.deepEqual(out.spec.containers, [{ name: 'b' }, { name: 'a', image: 'fresh' }]);
});

test('a field with patch strategy replace is replaced', () => {
  const schema: JSONSchema = { type: 'object', properties: { m: { type: 'object', 'x-kubernetes-patch-strategy': 'replace' } } };
  assert.deepEqual(strategicMergePatch({ m: { a: 1 } }, { m: { b: 2 } }, schema), { m: { b: 2 } });
});

// ---- schema-less and unknown fields ----

test('without a schema: maps merge, lists are replaced, directives still work', () => {
  const out = strategicMergePatch(deepFreeze({ a: { x: 1, y: 2 }, l: [{ name: 'a', v: 1 }] }), { a: { y: null, z: 3 }, l: [{ name: 'b' }] });
  assert.deepEqual(out, { a: { x: 1, z: 3 }, l: [{ name: 'b' }] });
  assert.deepEqual(strategicMergePatch({ a: { x: 1 } }, { a: { $patch: 'replace', y: 1 } }), { a: { y: 1 } });
});

test('undescribed and preserve-unknown-fields subtrees are plain maps and atomic lists', () => {
  const out = deploy(liveDeployment(), {
    spec: { extra: { list: [1] } },
    status: { replicas: 3, conditions: [{ type: 'Available' }] },
  });
  assert.deepEqual(out.spec.extra, { list: [1] });
  assert.deepEqual(out.status, { replicas: 3, observedGeneration: 3, conditions: [{ type: 'Available' }] });
});

test('an unresolvable $ref is treated as undescribed', () => {
  const schema: JSONSchema = { type: 'object', properties: { spec: { $ref: '#/components/schemas/Nope' } } };
  assert.deepEqual(strategicMergePatch({ spec: { l: [1, 2] } }, { spec: { l: [3] } }, schema, resolveRef), { spec: { l: [3] } });
});

test('a $-key the schema declares is data, not a directive', () => {
  const schema: JSONSchema = { type: 'object', properties: { $schema: { type: 'string' } } };
  assert.deepEqual(strategicMergePatch({}, { $schema: 'x' }, schema), { $schema: 'x' });
});

test('keys such as __proto__ are data', () => {
  const out = strategicMergePatch({}, JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":true}}}}'), podSchema, resolveRef) as any;
  assert.equal(Object.getPrototypeOf(out.metadata.labels), Object.prototype);
  assert.deepEqual(Object.keys(out.metadata.labels), ['__proto__']);
  assert.equal(({} as any).polluted, undefined);
});

test('inputs are never mutated and the result shares nothing with them', () => {
  const live = deepFreeze(livePod());
  const patch = deepFreeze({ spec: { containers: [{ name: 'new', ports: [{ containerPort: 1 }] }], tolerations: [{ key: 't' }] } });
  const out = strategicMergePatch(live, patch, podSchema, resolveRef) as any;
  out.spec.containers[2].ports[0].containerPort = 2;
  out.spec.tolerations[0].key = 'changed';
  out.spec.containers[0].env.push({ name: 'Z' });
  assert.equal(patch.spec.containers[0]!.ports[0]!.containerPort, 1);
  assert.equal(patch.spec.tolerations[0]!.key, 't');
  assert.equal(live.spec.containers[0]!.env?.length, 2);
});

// ---- errors ----

test('400: unknown directives and bad directive values', () => {
  rejects(() => pod(livePod(), { spec: { $foo: 1 } }), 400, /unknown strategic merge patch directive "\$foo"/);
  rejects(() => pod(livePod(), { spec: { nodeSelector: { $patch: 'remove' } } }), 400, /unknown patch directive/);
  rejects(() => pod(livePod(), { spec: { containers: [{ name: 'web', $patch: 'nope' }] } }), 400);
  rejects(() => pod(livePod(), { spec: { '$setElementOrder/containers': { name: 'web' } } }), 400);
  rejects(() => pod(livePod(), { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }), 400);
  rejects(() => deploy(liveDeployment(), { spec: { strategy: { $retainKeys: 'type' } } }), 400);
});

test('400: merge-list items must be maps with the merge key', () => {
  rejects(() => pod(livePod(), { spec: { containers: [{ image: 'x' }] } }), 400, /merge key "name"/);
  rejects(() => pod(livePod(), { spec: { containers: ['web'] } }), 400);
  rejects(() => pod(livePod(), { spec: { containers: [{ $patch: 'delete', image: 'x' }] } }), 400, /merge key/);
  rejects(() => pod(livePod(), { metadata: { finalizers: [{ $patch: 'delete' }] } }), 400);
});

test('400: patch inconsistent with $setElementOrder or $retainKeys', () => {
  rejects(() => pod(livePod(), { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ name: 'other' }] } }), 400, /\$setElementOrder/);
  rejects(() => pod(livePod(), {
    spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ name: 'sidecar' }, { name: 'web' }] },
  }), 400, /order/);
  rejects(() => pod(livePod(), { spec: { '$setElementOrder/containers': [{ image: 'x' }], containers: [] } }), 400);
  rejects(() => deploy(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 1 } } } }), 400, /retainKeys/);
});

test('400: the patch must be a JSON object', () => {
  rejects(() => strategicMergePatch({}, [], podSchema, resolveRef), 400);
  rejects(() => strategicMergePatch({}, 'x', podSchema, resolveRef), 400);
  rejects(() => strategicMergePatch({}, null, podSchema, resolveRef), 400);
});
