import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApiServer, type TestApiServer } from '../testing/test-server.js';
import { allResources } from '../kinds/index.js';

describe('namespace existence checks served by the namespace index', () => {
  let t: TestApiServer;
  before(async () => { t = await startTestApiServer(); });
  after(async () => { await t.stop(); });
  const storeOf = (kind: string) => t.api.storeFor(allResources.find((d) => d.kind === kind)!);
  const cm = (name: string) => ({ metadata: { name }, data: { a: '1' } });

  it('a namespace created a moment ago is usable at once; a missing one is 404; a terminating one refuses', async () => {
    const ns = storeOf('Namespace');
    const cms = storeOf('ConfigMap');
    await assert.rejects(cms.create('nope', cm('x')), (e: any) => e.status.code === 404);
    // no wait between creating the namespace and using it: the index may not know it yet
    for (let i = 0; i < 5; i++) {
      await ns.create(undefined, { metadata: { name: `fresh-${i}` } });
      await cms.create(`fresh-${i}`, cm('x'));
    }
    await ns.delete(undefined, 'fresh-0', {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      const err = await cms.create('fresh-0', cm(`y${Date.now()}`)).then(() => undefined, (e) => e);
      if (err) { assert.equal(err.status.code, 403); assert.match(err.status.message, /being terminated/); break; }
      assert.ok(Date.now() < deadline, 'namespace deletion was never observed');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
