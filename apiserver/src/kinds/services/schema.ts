// core/v1 Service.
import type { JSONSchema } from '../../registry/types.js';
import { metaConditionListSchema } from '../common/condition-schema.js';
import { core, define } from '../common/definitions.js';
import {
  atomicList, bool, int32, intOrString, kindSchema, mergeList, obj, str, stringList, stringMap,
} from '../common/schema-builders.js';

const servicePortSchema = define(core('ServicePort'), obj({
  name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
  protocol: str('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'),
  appProtocol: str('The application protocol for this port.'),
  port: int32('The port that will be exposed by this service.'),
  targetPort: intOrString("Number or name of the port to access on the pods targeted by the service. Defaults to the value of the 'port' field."),
  nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.'),
}, { required: ['port'], description: "ServicePort contains information on service's port." }));

const serviceSpecSchema = define(core('ServiceSpec'), obj({
  ports: mergeList(servicePortSchema, 'port', { mapKeys: ['port', 'protocol'], description: 'The list of ports that are exposed by this service.' }),
  selector: { ...stringMap('Route service traffic to pods with label keys and values matching this selector.'), 'x-kubernetes-map-type': 'atomic' } as JSONSchema,
  clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. "None" makes a headless service.'),
  clusterIPs: atomicList(str(), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.'),
  type: str('type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.'),
  externalIPs: stringList('externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
  sessionAffinity: str('Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.'),
  loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
  loadBalancerSourceRanges: stringList('If specified and supported by the platform, traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.'),
  externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).'),
  externalTrafficPolicy: str('externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses: Cluster or Local.'),
  healthCheckNodePort: int32('healthCheckNodePort specifies the healthcheck nodePort for the service.'),
  publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
  sessionAffinityConfig: define(core('SessionAffinityConfig'), obj({
    clientIP: define(core('ClientIPConfig'), obj({ timeoutSeconds: int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. Default value is 10800 (3 hours).') })),
  }, { description: 'SessionAffinityConfig represents the configurations of session affinity.' })),
  ipFamilies: atomicList(str(), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
  ipFamilyPolicy: str('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service: SingleStack, PreferDualStack or RequireDualStack.'),
  allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".'),
  loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
  internalTrafficPolicy: str('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP: Cluster or Local.'),
  trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
}, { description: 'ServiceSpec describes the attributes that a user creates on a service.' }));

const serviceStatusSchema = define(core('ServiceStatus'), obj({
  loadBalancer: define(core('LoadBalancerStatus'), obj({
    ingress: atomicList(define(core('LoadBalancerIngress'), obj({
      ip: str('IP is set for load-balancer ingress points that are IP based.'),
      hostname: str('Hostname is set for load-balancer ingress points that are DNS based.'),
      ipMode: str('IPMode specifies how the load-balancer IP behaves: VIP or Proxy.'),
      ports: atomicList(define(core('PortStatus'), obj({ port: int32(), protocol: str(), error: str() }, { required: ['port', 'protocol'] }))),
    })), 'Ingress is a list containing ingress points for the load-balancer.'),
  }, { description: 'LoadBalancerStatus represents the status of a load-balancer.' })),
  conditions: metaConditionListSchema('Current service state'),
}, { description: 'ServiceStatus represents the current status of a service.' }));

export const serviceSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Service' },
  { spec: serviceSpecSchema, status: serviceStatusSchema },
  'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
);
