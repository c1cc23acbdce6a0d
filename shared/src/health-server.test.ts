import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startHealthServer } from './health-server.js';

async function get(port: number, path: string, method: 'GET' | 'HEAD' | 'POST' = 'GET'): Promise<[number, string]> {
  const res = await request(`http://127.0.0.1:${port}${path}`, { method });
  return [res.statusCode, await res.body.text()];
}

describe('health server', () => {
  it('serves healthz/readyz/livez from the checks and metrics as Prometheus text', async () => {
    let ready = false;
    const srv = await startHealthServer({
      port: 0,
      checks: { healthz: () => true, readyz: async () => ready },
      metrics: () => '# TYPE k8ts_up gauge\nk8ts_up 1\n',
    });
    try {
      assert.deepEqual(await get(srv.port, '/healthz'), [200, 'ok']);
      assert.deepEqual(await get(srv.port, '/livez?verbose'), [200, 'ok']);
      assert.deepEqual(await get(srv.port, '/readyz'), [503, 'readyz check failed']);
      ready = true;
      assert.deepEqual(await get(srv.port, '/readyz'), [200, 'ok']);
      assert.deepEqual(await get(srv.port, '/metrics'), [200, '# TYPE k8ts_up gauge\nk8ts_up 1\n']);
      assert.deepEqual(await get(srv.port, '/readyz', 'HEAD'), [200, '']);
      assert.equal((await get(srv.port, '/nope'))[0], 404);
      assert.equal((await get(srv.port, '/healthz', 'POST'))[0], 405);
    } finally {
      await srv.close();
    }
  });

  it('treats a throwing, rejecting or slow check as failed; no metrics means 404', async () => {
    const srv = await startHealthServer({
      port: 0,
      checkTimeoutMs: 20,
      checks: {
        healthz: () => { throw new Error('x'); },
        readyz: () => new Promise<boolean>(() => { /* never */ }),
        livez: () => Promise.reject(new Error('y')),
      },
    });
    try {
      assert.equal((await get(srv.port, '/healthz'))[0], 503);
      assert.equal((await get(srv.port, '/readyz'))[0], 503);
      assert.equal((await get(srv.port, '/livez'))[0], 503);
      assert.equal((await get(srv.port, '/metrics'))[0], 404);
    } finally {
      await srv.close();
      await srv.close();
    }
  });
});
