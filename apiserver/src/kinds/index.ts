// Every built-in kind k8ts serves, plus what the server needs next to them: the shared
// schema definitions their $refs point at, the metadata validator, and the address of the
// `kubernetes` service.
import type { ResourceDef } from '../registry/types.js';
import { configmaps } from './configmaps/index.js';
import { deployments } from './deployments/index.js';
import { endpoints } from './endpoints/index.js';
import { events } from './events/index.js';
import { leases } from './leases/index.js';
import { namespaces } from './namespaces/index.js';
import { nodes } from './nodes/index.js';
import { pods } from './pods/index.js';
import { replicasets } from './replicasets/index.js';
import { replicationcontrollers } from './replicationcontrollers/index.js';
import { resourcequotas } from './resourcequotas/index.js';
import { secrets } from './secrets/index.js';
import { services } from './services/index.js';
import { intToIP, parseIPv4CIDR } from './services/ip-range.js';

export { schemaDefinitions } from './common/definitions.js';
export { validateMetaFor, nameValidatorFor } from './validate-meta.js';
export {
  configmaps, deployments, endpoints, events, leases, namespaces, nodes, pods, replicasets, replicationcontrollers,
  resourcequotas, secrets, services,
};

export const allResources: ResourceDef[] = [
  namespaces, nodes, pods, services, endpoints, configmaps, secrets, events, resourcequotas, replicationcontrollers,
  deployments, replicasets,
  leases,
];

/** The `kubernetes` service's address: the first usable IP of the service CIDR (10.96.0.1). */
export function firstServiceIP(serviceCIDR: string): string {
  const range = parseIPv4CIDR(serviceCIDR);
  return intToIP(range.base + 1);
}
