// HTTP Upgrade requests (WebSocket exec, SPDY fallbacks) through the normal fastify route,
// so they get the same authentication, path parsing and Status errors as any request.
//
// Node emits upgrade requests as a separate 'upgrade' event (never as 'request') once anyone
// listens for it; we wrap the socket in a ServerResponse and hand the pair to
// `app.routing`, remembering the socket and its first bytes on the request for the handler
// (`upgradeOf`). A handler that takes the connection over must `reply.hijack()` and
// `reply.raw.detachSocket(socket)` before writing to the socket. Any answer fastify sends
// instead (401, 404, 400 ...) is written on the socket, which is then closed.
// close(): destroys every upgraded socket still open (fastify does not track them).
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@k8ts/shared';

const kUpgrade = Symbol('k8ts.upgrade');

export interface Upgrade { socket: Duplex; head: Buffer; }

export function upgradeOf(req: IncomingMessage): Upgrade | undefined {
  return (req as IncomingMessage & { [kUpgrade]?: Upgrade })[kUpgrade];
}

export function routeUpgrades(app: FastifyInstance, log: Logger): void {
  const sockets = new Set<Duplex>();
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', (err) => { log.debug({ err: err.message }, 'upgraded client socket error'); socket.destroy(); });
    (req as IncomingMessage & { [kUpgrade]?: Upgrade })[kUpgrade] = { socket, head };
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => {
      if (res.socket !== socket) return; // taken over by a handler
      socket.end();
      setTimeout(() => socket.destroy(), 5000).unref();
    });
    try {
      app.routing(req, res);
    } catch (err) {
      log.error({ err }, 'routing an upgrade request failed');
      socket.destroy();
    }
  });
  app.addHook('onClose', async () => { for (const s of sockets) s.destroy(); });
}
