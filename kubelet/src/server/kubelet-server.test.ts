// The kubelet server over real TLS with client certificates, driven by a ws client speaking
// channel.k8s.io, backed by the process runtime test double.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Errors, createLogger } from '@k8ts/shared';
import { startKubeletServer, type KubeletServer } from './kubelet-server.js';
import { ProcessRuntime } from './testing/process-runtime.js';
import { appendCriLog } from './testing/cri-log-file.js';
import { makeTestPki, type TestCert, type TestPki } from './testing/test-pki.js';
import { CLOSE, STDIN } from './channel-protocol.js';

let pki: TestPki;
let dir: string;
let server: KubeletServer;
let runtime: ProcessRuntime;
let base: string;

before(async () => {
  pki = await makeTestPki();
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-server-'));
  runtime = new ProcessRuntime({ workDir: dir, pollMs: 20 });
  runtime.addContainer('c1', { name: 'app', logPath: join(dir, 'app.log') });
  await appendCriLog(join(dir, 'app.log'), 'stdout', ['one', 'two', 'three'], Date.UTC(2024, 0, 1));
  server = await startKubeletServer({
    host: '127.0.0.1', port: 0, logger: createLogger('test', 'silent'), runtime,
    tls: { cert: pki.kubelet.cert, key: pki.kubelet.key, clientCa: pki.ca },
    locate: async (ns, pod, container) => {
      if (ns === 'default' && pod === 'p' && (container === 'app' || container === undefined)) return { containerId: 'c1' };
      return { error: Errors.badRequest(`container ${container} is not valid for pod ${pod}`) };
    },
  });
  base = `https://127.0.0.1:${server.port}`;
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await pki?.remove();
});

function get(path: string, cert: TestCert | null = pki.apiserverClient): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { ca: pki.ca, ...(cert ? { cert: cert.cert, key: cert.key } : {}) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ code: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface ExecResult { stdout: string; stderr: string; status: Record<string, unknown>; protocol: string; closeCode: number }

function exec(query: string, o: { stdin?: string; protocols?: string[] } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/exec/default/p/app?${query}`, o.protocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
      ca: pki.ca, cert: pki.apiserverClient.cert, key: pki.apiserverClient.key,
    });
    const r: ExecResult = { stdout: '', stderr: '', status: {}, protocol: '', closeCode: 0 };
    ws.on('open', () => {
      r.protocol = ws.protocol;
      if (o.stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([STDIN]), Buffer.from(o.stdin)]));
        ws.send(Buffer.from([CLOSE, STDIN]));
      }
    });
    ws.on('message', (m: Buffer) => {
      const body = m.subarray(1).toString();
      if (m[0] === 1) r.stdout += body;
      else if (m[0] === 2) r.stderr += body;
      else if (m[0] === 3) r.status = JSON.parse(body);
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { code: res.statusCode, body })));
    });
    ws.on('error', reject);
    ws.on('close', (code) => { r.closeCode = code; resolve(r); });
  });
}

describe('kubelet server', () => {
  it('answers /healthz without a client certificate', async () => {
    assert.deepEqual(await get('/healthz', null), { code: 200, body: 'ok' });
  });

  it('refuses requests without a trusted client certificate with a 401 Status', async () => {
    for (const cert of [null, pki.stranger]) {
      const r = await get('/containerLogs/default/p/app', cert);
      assert.equal(r.code, 401);
      assert.equal(JSON.parse(r.body).reason, 'Unauthorized');
    }
  });

  it('refuses trusted certificates of other identities with a 403 Status', async () => {
    const r = await get('/containerLogs/default/p/app', pki.nodeClient);
    assert.equal(r.code, 403);
    assert.match(JSON.parse(r.body).message, /user=system:node:other/);
  });

  it('serves logs with tail and timestamps', async () => {
    assert.deepEqual(await get('/containerLogs/default/p/app'), { code: 200, body: 'one\ntwo\nthree\n' });
    assert.equal((await get('/containerLogs/default/p/app?tailLines=1')).body, 'three\n');
    assert.equal((await get('/containerLogs/default/p/app?tailLines=1&timestamps=true')).body, '2024-01-01T00:00:00.000000000Z three\n');
    assert.equal((await get('/containerLogs/default/p/app?limitBytes=5')).body, 'one\nt');
  });

  it('turns locate errors and bad parameters into Status answers', async () => {
    const r = await get('/containerLogs/default/p/nope');
    assert.equal(r.code, 400);
    assert.match(JSON.parse(r.body).message, /container nope is not valid for pod p/);
    assert.equal((await get('/containerLogs/default/p/app?tailLines=-2')).code, 400);
    assert.equal((await get('/nothing/here')).code, 404);
  });

  it('execs with output, stderr and the exit code in a NonZeroExitCode Status (v5)', async () => {
    const r = await exec('command=sh&command=-c&command=echo%20hi%3B%20echo%20oops%20%3E%262%3B%20exit%203&output=1&error=1');
    assert.equal(r.protocol, 'v5.channel.k8s.io');
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, 'oops\n');
    assert.equal(r.status.reason, 'NonZeroExitCode');
    assert.deepEqual(r.status.details, { causes: [{ reason: 'ExitCode', message: '3' }] });
    assert.equal(r.closeCode, 1000);
  });

  it('passes stdin until the v5 close signal, and speaks v4 when asked', async () => {
    const r = await exec('command=cat&input=1&output=1', { stdin: 'piped\n' });
    assert.equal(r.stdout, 'piped\n');
    assert.equal(r.status.status, 'Success');
    const v4 = await exec('command=echo&command=v4&output=1', { protocols: ['v4.channel.k8s.io'] });
    assert.equal(v4.protocol, 'v4.channel.k8s.io');
    assert.equal(v4.stdout, 'v4\n');
  });

  it('reports a command that cannot start on the error channel', async () => {
    const r = await exec('command=no-such-binary-k8ts&output=1');
    assert.equal(r.status.status, 'Failure');
    assert.match(String(r.status.message), /executable file not found/);
  });

  it('refuses old SPDY protocols, unknown subprotocols and attach before upgrading', async () => {
    await assert.rejects(exec('command=true&output=1', { protocols: ['channel.k8s.io'] }), /HTTP 400: .*no supported streaming protocol/);
    const spdy = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/exec/default/p/app?command=true&output=1`, {
        method: 'POST', ca: pki.ca, cert: pki.apiserverClient.cert, key: pki.apiserverClient.key,
        headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'channel.k8s.io' },
      }, (res) => { let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => resolve({ code: res.statusCode!, body })); });
      req.on('upgrade', () => reject(new Error('must not upgrade')));
      req.on('error', reject);
      req.end();
    });
    assert.equal(spdy.code, 400);
    assert.match(JSON.parse(spdy.body).message, /exec over SPDY speaks v4\.channel\.k8s\.io only/);
    const pf = await get('/portForward/default/p');
    assert.equal(pf.code, 400);
    assert.match(JSON.parse(pf.body).message, /port-forward is not supported/);
  });

  it('kills the process when the client goes away', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/exec/default/p/app?command=sleep&command=30&output=1`, ['v5.channel.k8s.io'], {
      ca: pki.ca, cert: pki.apiserverClient.cert, key: pki.apiserverClient.key,
    });
    await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
    await waitFor(() => runtime.running === 1);
    ws.terminate();
    await waitFor(() => runtime.running === 0);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
