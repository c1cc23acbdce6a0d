// The Pod object: metadata, spec (the shared PodSpec) and status.
import type { JSONSchema } from '../../registry/types.js';
import { conditionListSchema } from '../common/condition-schema.js';
import { core, define, ref } from '../common/definitions.js';
import {
  atomicList, bool, int32, int64, kindSchema, mergeList, obj, openObj, quantityMap, str, time,
} from '../common/schema-builders.js';
import '../common/pod-spec-schema.js';

define(core('ContainerState'), obj({
  waiting: define(core('ContainerStateWaiting'), obj({
    reason: str('(brief) reason the container is not yet running.'),
    message: str('Message regarding why the container is not yet running.'),
  })),
  running: define(core('ContainerStateRunning'), obj({ startedAt: time('Time at which the container was last (re-)started') })),
  terminated: define(core('ContainerStateTerminated'), obj({
    exitCode: int32('Exit status from the last termination of the container'),
    signal: int32('Signal from the last termination of the container'),
    reason: str('(brief) reason from the last termination of the container'),
    message: str('Message regarding the last termination of the container'),
    startedAt: time('Time at which previous execution of the container started'),
    finishedAt: time('Time at which the container last terminated'),
    containerID: str("Container's ID in the format '<type>://<container_id>'"),
  }, { required: ['exitCode'] })),
}, { description: 'ContainerState holds a possible state of container. Only one of its members may be specified.' }));

const containerStatusSchema = define(core('ContainerStatus'), obj({
  name: str('Name is a DNS_LABEL representing the unique name of the container.'),
  state: ref(core('ContainerState'), "State holds details about the container's current condition."),
  lastState: ref(core('ContainerState'), "LastTerminationState holds the last termination state of the container."),
  ready: bool('Ready specifies whether the container is currently passing its readiness check.'),
  restartCount: int32('RestartCount holds the number of times the container has been restarted.'),
  image: str('Image is the name of container image that the container is running.'),
  imageID: str("ImageID is the image ID of the container's image."),
  containerID: str("ContainerID is the ID of the container in the format '<type>://<container_id>'."),
  started: bool('Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'),
  allocatedResources: quantityMap('AllocatedResources represents the compute resources allocated for this container by the node.'),
  resources: ref(core('ResourceRequirements'), 'Resources represents the compute resource requests and limits that have been successfully enacted on the running container.'),
  volumeMounts: atomicList(openObj(), 'Status of volume mounts.'),
  user: openObj('User represents user identity information initially attached to the first process of the container.'),
  allocatedResourcesStatus: atomicList(openObj(), 'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.'),
  stopSignal: str('StopSignal reports the effective stop signal for this container.'),
}, { required: ['name', 'ready', 'restartCount', 'image', 'imageID'], description: 'ContainerStatus contains details for the current status of this container.' }));

const ipList = (name: string, description: string): JSONSchema =>
  mergeList(define(core(name), obj({ ip: str('IP address.') }, { required: ['ip'] })), 'ip', { description });

const podStatusSchema = define(core('PodStatus'), obj({
  observedGeneration: int64('If set, this represents the .metadata.generation that the pod status was set based upon.'),
  phase: str('The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle: Pending, Running, Succeeded, Failed, Unknown.'),
  conditions: conditionListSchema(core('PodCondition'), ['lastProbeTime', 'lastTransitionTime'], 'Current service state of pod.', { observedGeneration: int64() }),
  message: str('A human readable message indicating details about why the pod is in this condition.'),
  reason: str("A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"),
  nominatedNodeName: str('nominatedNodeName is set only when this pod preempts other pods on the node.'),
  hostIP: str('hostIP holds the IP address of the host to which the pod is assigned.'),
  hostIPs: ipList('HostIP', 'hostIPs holds the IP addresses allocated to the host.'),
  podIP: str('podIP address allocated to the pod. Routable at least within the cluster.'),
  podIPs: ipList('PodIP', 'podIPs holds the IP addresses allocated to the pod.'),
  startTime: time('RFC 3339 date and time at which the object was acknowledged by the Kubelet.'),
  initContainerStatuses: atomicList(containerStatusSchema, 'Statuses of init containers in this pod.'),
  containerStatuses: atomicList(containerStatusSchema, 'Statuses of containers in this pod.'),
  ephemeralContainerStatuses: atomicList(containerStatusSchema, 'Statuses for any ephemeral containers that have run in this pod.'),
  qosClass: str('The Quality of Service (QOS) classification assigned to the pod based on resource requirements: Guaranteed, Burstable, BestEffort.'),
  resize: str("Status of resources resize desired for pod's containers."),
  resourceClaimStatuses: mergeList(define(core('PodResourceClaimStatus'), obj({ name: str(), resourceClaimName: str() }, { required: ['name'] })), 'name', { strategy: 'merge,retainKeys', description: 'Status of resource claims.' }),
  extendedResourceClaimStatus: openObj('Status of extended resource claim backed by DRA.'),
}, { description: 'PodStatus represents information about the status of a pod.' }));

export const podSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Pod' },
  {
    spec: ref(core('PodSpec'), 'Specification of the desired behavior of the pod.'),
    status: { ...podStatusSchema, description: 'Most recently observed status of the pod. Populated by the system. Read-only.' },
  },
  'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
);
