// corev1.PodSpec and PodTemplateSpec, shared by pods, replication controllers, replica sets
// and deployments. Affinity and topology spread constraints are described at their top
// level and kept open below (x-kubernetes-preserve-unknown-fields).
import {
  appArmorProfileSchema, containerSchema, ephemeralContainerSchema, seccompProfileSchema, selinuxOptionsSchema, windowsOptionsSchema,
} from './container-schema.js';
import { core, define, ref } from './definitions.js';
import {
  atomicList, bool, int32, int64, mergeList, obj, objectMeta, openObj, quantityMap, str, stringList, stringMap,
} from './schema-builders.js';
import { volumeSchema } from './volume-schema.js';

export const tolerationSchema = define(core('Toleration'), obj({
  key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys.'),
  operator: str("Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal."),
  value: str('Value is the taint value the toleration matches to.'),
  effect: str('Effect indicates the taint effect to match. Empty means match all taint effects.'),
  tolerationSeconds: int64('TolerationSeconds represents the period of time the toleration tolerates the taint (NoExecute only).'),
}, { description: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect>.' }));

const podSecurityContextSchema = define(core('PodSecurityContext'), obj({
  seLinuxOptions: selinuxOptionsSchema,
  windowsOptions: windowsOptionsSchema,
  runAsUser: int64('The UID to run the entrypoint of the container process.'),
  runAsGroup: int64('The GID to run the entrypoint of the container process.'),
  runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
  supplementalGroups: atomicList(int64(), 'A list of groups applied to the first process run in each container.'),
  supplementalGroupsPolicy: str('Defines how supplemental groups of the first container processes are calculated.'),
  fsGroup: int64('A special supplemental group that applies to all containers in a pod.'),
  sysctls: atomicList(define(core('Sysctl'), obj({ name: str(), value: str() }, { required: ['name', 'value'] })), 'Sysctls hold a list of namespaced sysctls used for the pod.'),
  fsGroupChangePolicy: str('fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod.'),
  seccompProfile: seccompProfileSchema,
  appArmorProfile: appArmorProfileSchema,
  seLinuxChangePolicy: str("seLinuxChangePolicy defines how the container's SELinux label is applied to all volumes used by the Pod."),
}, { description: 'PodSecurityContext holds pod-level security attributes and common container settings.' }));

const affinitySchema = define(core('Affinity'), obj({
  nodeAffinity: define(core('NodeAffinity'), openObj('Describes node affinity scheduling rules for the pod.', {
    requiredDuringSchedulingIgnoredDuringExecution: openObj('If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(openObj(), 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field.'),
  })),
  podAffinity: define(core('PodAffinity'), openObj('Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).', {
    requiredDuringSchedulingIgnoredDuringExecution: atomicList(openObj()),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(openObj()),
  })),
  podAntiAffinity: define(core('PodAntiAffinity'), openObj('Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).', {
    requiredDuringSchedulingIgnoredDuringExecution: atomicList(openObj()),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(openObj()),
  })),
}, { description: 'Affinity is a group of affinity scheduling rules.' }));

const podDNSConfigSchema = define(core('PodDNSConfig'), obj({
  nameservers: stringList('A list of DNS name server IP addresses.'),
  searches: stringList('A list of DNS search domains for host-name lookup.'),
  options: atomicList(define(core('PodDNSConfigOption'), obj({ name: str(), value: str() })), 'A list of DNS resolver options.'),
}, { description: 'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.' }));

const localObjectReference = define(core('LocalObjectReference'), obj({ name: str('Name of the referent.') }));

export const podSpecSchema = define(core('PodSpec'), obj({
  volumes: mergeList(volumeSchema, 'name', { strategy: 'merge,retainKeys', description: 'List of volumes that can be mounted by containers belonging to the pod.' }),
  initContainers: mergeList(containerSchema, 'name', { description: 'List of initialization containers belonging to the pod.' }),
  containers: mergeList(containerSchema, 'name', { description: 'List of containers belonging to the pod. There must be at least one container in a Pod.' }),
  ephemeralContainers: mergeList(ephemeralContainerSchema, 'name', { description: 'List of ephemeral containers run in this pod.' }),
  restartPolicy: str('Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.'),
  terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.'),
  activeDeadlineSeconds: int64('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.'),
  dnsPolicy: str('Set DNS policy for the pod. Defaults to "ClusterFirst". Valid values are ClusterFirstWithHostNet, ClusterFirst, Default or None.'),
  nodeSelector: stringMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
  serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
  serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
  automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
  nodeName: str('NodeName indicates in which node this pod is scheduled.'),
  hostNetwork: bool("Host networking requested for this pod. Use the host's network namespace."),
  hostPID: bool("Use the host's pid namespace."),
  hostIPC: bool("Use the host's ipc namespace."),
  shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod.'),
  securityContext: podSecurityContextSchema,
  imagePullSecrets: mergeList(localObjectReference, 'name', { description: 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.' }),
  hostname: str("Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value."),
  subdomain: str('If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".'),
  affinity: affinitySchema,
  schedulerName: str('If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.'),
  tolerations: atomicList(tolerationSchema, "If specified, the pod's tolerations."),
  hostAliases: mergeList(define(core('HostAlias'), obj({ ip: str(), hostnames: stringList() }, { required: ['ip'] })), 'ip', { description: "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified." }),
  priorityClassName: str("If specified, indicates the pod's priority."),
  priority: int32('The priority value. Various system components use this field to find the priority of the pod.'),
  dnsConfig: podDNSConfigSchema,
  readinessGates: atomicList(define(core('PodReadinessGate'), obj({ conditionType: str() }, { required: ['conditionType'] })), 'If specified, all readiness gates will be evaluated for pod readiness.'),
  runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.'),
  enableServiceLinks: bool("EnableServiceLinks indicates whether information about services should be injected into pod's environment variables. Defaults to true."),
  preemptionPolicy: str('PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.'),
  overhead: quantityMap('Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.'),
  topologySpreadConstraints: mergeList(define(core('TopologySpreadConstraint'), openObj(undefined, {
    maxSkew: int32(), topologyKey: str(), whenUnsatisfiable: str(),
  })), 'topologyKey', { mapKeys: ['topologyKey', 'whenUnsatisfiable'], description: 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.' }),
  setHostnameAsFQDN: bool("If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default)."),
  os: define(core('PodOS'), obj({ name: str('Name is the name of the operating system: linux or windows.') }, { required: ['name'] })),
  hostUsers: bool("Use the host's user namespace. Optional: Default to true."),
  schedulingGates: mergeList(define(core('PodSchedulingGate'), obj({ name: str() }, { required: ['name'] })), 'name', { description: 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.' }),
  resourceClaims: mergeList(define(core('PodResourceClaim'), obj({ name: str(), resourceClaimName: str(), resourceClaimTemplateName: str() }, { required: ['name'] })), 'name', { strategy: 'merge,retainKeys', description: 'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.' }),
  resources: ref(core('ResourceRequirements'), 'Resources is the total amount of CPU and Memory resources required by all containers in the pod.'),
  hostnameOverride: str("HostnameOverride specifies an explicit override for the pod's hostname as perceived by the pod."),
}, { required: ['containers'], description: 'PodSpec is a description of a pod.' }));

export const podTemplateSpecSchema = define(core('PodTemplateSpec'), obj({
  metadata: objectMeta("Standard object's metadata."),
  spec: ref(core('PodSpec'), 'Specification of the desired behavior of the pod.'),
}, { description: 'PodTemplateSpec describes the data a pod should have when created from a template' }));
