import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourcePath, withQuery } from './paths.js';
import { Resources, qualifiedResource } from './resources.js';

describe('resource paths', () => {
  it('builds core, grouped, namespaced and cluster-scoped paths', () => {
    assert.equal(resourcePath(Resources.pods), '/api/v1/pods');
    assert.equal(resourcePath(Resources.pods, 'default'), '/api/v1/namespaces/default/pods');
    assert.equal(resourcePath(Resources.pods, 'default', 'web-1', 'status'), '/api/v1/namespaces/default/pods/web-1/status');
    assert.equal(resourcePath(Resources.nodes, 'ignored', 'n1'), '/api/v1/nodes/n1');
    assert.equal(resourcePath(Resources.namespaces, undefined, 'kube-system'), '/api/v1/namespaces/kube-system');
    assert.equal(resourcePath(Resources.deployments, 'ns', 'd', 'scale'), '/apis/apps/v1/namespaces/ns/deployments/d/scale');
    assert.equal(resourcePath(Resources.leases, 'kube-system'), '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases');
    assert.equal(qualifiedResource(Resources.deployments), 'deployments.apps');
  });

  it('encodes query values and skips undefined ones', () => {
    assert.equal(withQuery('/p', { a: undefined, labelSelector: 'app=web,tier!=db', limit: 500, watch: true }),
      '/p?labelSelector=app%3Dweb%2Ctier%21%3Ddb&limit=500&watch=true');
    assert.equal(withQuery('/p?x=1', { y: '2' }), '/p?x=1&y=2');
    assert.equal(withQuery('/p', {}), '/p');
  });
});
