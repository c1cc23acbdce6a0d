export * from './cidr.js';
export * from './names.js';
export * from './ipam.js';
export * from './node-network.js';
export * from './pod-network.js';
