import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isStatusError } from '../errors.js';
import { CA_CERT, CLIENT_CERT, CLIENT_KEY, SERVER_CERT, SERVER_KEY } from '../testing/tls-fixtures.js';
import { ApiClient } from './api-client.js';

interface Echo { cn: string | null; authorized: boolean; authorization: string | null }

describe('ApiClient over TLS', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer({ key: SERVER_KEY, cert: SERVER_CERT, ca: CA_CERT, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const sock = req.socket as TLSSocket;
      const peer = sock.getPeerCertificate();
      const cn = peer?.subject?.CN;
      const body: Echo = { cn: typeof cn === 'string' ? cn : null, authorized: sock.authorized, authorization: req.headers.authorization ?? null };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('verifies the server with the CA and presents the client certificate and token', async () => {
    const c = new ApiClient({ server: url, ca: CA_CERT, cert: CLIENT_CERT, key: CLIENT_KEY, token: 'tok' });
    try {
      assert.deepEqual(await c.request<Echo>('GET', '/whoami'), { cn: 'admin', authorized: true, authorization: 'Bearer tok' });
    } finally {
      await c.close();
    }
  });

  it('refuses a server signed by an unknown CA (as 503), unless insecure', async () => {
    const strict = new ApiClient({ server: url });
    const insecure = new ApiClient({ server: url, insecure: true });
    try {
      await assert.rejects(strict.request('GET', '/whoami'), (e) => isStatusError(e) && e.status.code === 503 && /certificate/i.test(e.message));
      assert.deepEqual(await insecure.request<Echo>('GET', '/whoami'), { cn: null, authorized: false, authorization: null });
    } finally {
      await strict.close();
      await insecure.close();
    }
  });
});
