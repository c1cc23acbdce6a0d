// core/v1 Node.
import type { JSONSchema } from '../../registry/types.js';
import { conditionListSchema } from '../common/condition-schema.js';
import { core, define } from '../common/definitions.js';
import {
  atomicList, bool, int32, int64, kindSchema, mergeList, mergeSet, obj, openObj, quantityMap, str, stringList, time,
} from '../common/schema-builders.js';

const taintSchema = define(core('Taint'), obj({
  key: str('Required. The taint key to be applied to a node.'),
  value: str('The taint value corresponding to the taint key.'),
  effect: str('Required. The effect of the taint on pods that do not tolerate the taint: NoSchedule, PreferNoSchedule and NoExecute.'),
  timeAdded: time('TimeAdded represents the time at which the taint was added (NoExecute taints only).'),
}, { required: ['key', 'effect'], description: 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.' }));

const nodeSpecSchema = define(core('NodeSpec'), obj({
  podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
  podCIDRs: mergeSet(str(), 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node.'),
  providerID: str('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
  unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
  taints: atomicList(taintSchema, "If specified, the node's taints."),
  configSource: openObj('Deprecated: Previously used to specify the source of the node\'s configuration for the DynamicKubeletConfig feature.'),
  externalID: str('Deprecated. Not all kubelets will set this field.'),
}, { description: 'NodeSpec describes the attributes that a node is created with.' }));

const nodeStatusSchema = define(core('NodeStatus'), obj({
  capacity: quantityMap('Capacity represents the total resources of a node.'),
  allocatable: quantityMap('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
  phase: str('NodePhase is the recently observed lifecycle phase of the node. Deprecated.'),
  conditions: conditionListSchema(core('NodeCondition'), ['lastHeartbeatTime', 'lastTransitionTime'], 'Conditions is an array of current observed node conditions.'),
  addresses: mergeList(define(core('NodeAddress'), obj({
    type: str('Node address type, one of Hostname, ExternalIP or InternalIP.'),
    address: str('The node address.'),
  }, { required: ['type', 'address'] })), 'type', { description: 'List of addresses reachable to the node.' }),
  daemonEndpoints: define(core('NodeDaemonEndpoints'), obj({
    kubeletEndpoint: define(core('DaemonEndpoint'), obj({ Port: int32('Port number of the given endpoint.') }, { required: ['Port'] })),
  }, { description: 'Endpoints of daemons running on the Node.' })),
  nodeInfo: define(core('NodeSystemInfo'), obj({
    machineID: str(), systemUUID: str(), bootID: str(), kernelVersion: str(), osImage: str(),
    containerRuntimeVersion: str(), kubeletVersion: str(), kubeProxyVersion: str(), operatingSystem: str(), architecture: str(),
    swap: openObj('Swap Info reported by the node.'),
  }, { description: 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.' })),
  images: atomicList(define(core('ContainerImage'), obj({
    names: stringList('Names by which this image is known.'),
    sizeBytes: int64('The size of the image in bytes.'),
  })), 'List of container images on this node'),
  volumesInUse: stringList('List of attachable volumes in use (mounted) by the node.'),
  volumesAttached: atomicList(define(core('AttachedVolume'), obj({ name: str(), devicePath: str() }, { required: ['name', 'devicePath'] })), 'List of volumes that are attached to the node.'),
  config: openObj('Status of the config assigned to the node via the dynamic Kubelet config feature.'),
  runtimeHandlers: atomicList(openObj(), 'The available runtime handlers.'),
  features: openObj('Features describes the set of features implemented by the CRI implementation.'),
  declaredFeatures: stringList('DeclaredFeatures represents the features related to feature gates that are declared by the node.'),
}, { description: 'NodeStatus is information about the current status of a node.' }));

export const nodeSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Node' },
  { spec: nodeSpecSchema, status: nodeStatusSchema },
  'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
);
