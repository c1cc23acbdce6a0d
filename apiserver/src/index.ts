export * from './registry/types.js';
export { start, type ApiServer, type ApiServerOptions } from './server.js';
