export { startDnsServer, type DnsServer, type DnsServerOptions } from './server.js';
export { resolve } from './resolver.js';
export * from './wire.js';
