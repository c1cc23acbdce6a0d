// core/v1 Endpoints.
import type { JSONSchema } from '../../registry/types.js';
import { core, define } from '../common/definitions.js';
import { objectReference } from '../common/object-meta-schema.js';
import { atomicList, int32, kindSchema, obj, str } from '../common/schema-builders.js';

const endpointAddressSchema = define(core('EndpointAddress'), obj({
  ip: str('The IP of this endpoint.'),
  hostname: str('The Hostname of this endpoint'),
  nodeName: str('Optional: Node hosting this endpoint.'),
  targetRef: objectReference('Reference to object providing the endpoint.'),
}, { required: ['ip'], description: 'EndpointAddress is a tuple that describes single IP address.' }));

const endpointPortSchema = define(core('EndpointPort'), obj({
  name: str('The name of this port. This must match the \'name\' field in the corresponding ServicePort.'),
  port: int32('The port number of the endpoint.'),
  protocol: str('The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.'),
  appProtocol: str('The application protocol for this port.'),
}, { required: ['port'], description: 'EndpointPort is a tuple that describes a single port.' }));

const endpointSubsetSchema = define(core('EndpointSubset'), obj({
  addresses: atomicList(endpointAddressSchema, 'IP addresses which offer the related ports that are marked as ready.'),
  notReadyAddresses: atomicList(endpointAddressSchema, 'IP addresses which offer the related ports but are not currently marked as ready.'),
  ports: atomicList(endpointPortSchema, 'Port numbers available on the related IP addresses.'),
}, { description: 'EndpointSubset is a group of addresses with a common set of ports.' }));

export const endpointsSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Endpoints' },
  { subsets: atomicList(endpointSubsetSchema, 'The set of all endpoints is the union of all subsets.') },
  'Endpoints is a collection of endpoints that implement the actual service.',
);
