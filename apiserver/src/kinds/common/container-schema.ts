// corev1.Container and what it is made of: ports, env, resources, volume mounts, probes,
// lifecycle hooks and the security context. Field lists follow upstream v1.33; each struct
// is registered under its upstream name.
import type { JSONSchema } from '../../registry/types.js';
import { core, define, ref } from './definitions.js';
import {
  atomicList, bool, int32, int64, intOrString, mergeList, obj, openObj, quantity, quantityMap, str, stringList,
} from './schema-builders.js';

export const selinuxOptionsSchema = define(core('SELinuxOptions'), obj({
  user: str('SELinux user label.'), role: str('SELinux role label.'), type: str('SELinux type label.'), level: str('SELinux level label.'),
}, { description: 'SELinuxOptions are the labels to be applied to the container' }));

export const windowsOptionsSchema = define(core('WindowsSecurityContextOptions'), obj({
  gmsaCredentialSpecName: str(), gmsaCredentialSpec: str(), runAsUserName: str(), hostProcess: bool(),
}, { description: 'WindowsSecurityContextOptions contain Windows-specific options and credentials.' }));

export const seccompProfileSchema = define(core('SeccompProfile'), obj({
  type: str('Kind of seccomp profile: Localhost, RuntimeDefault or Unconfined.'),
  localhostProfile: str(),
}, { required: ['type'], description: "SeccompProfile defines a pod/container's seccomp profile settings." }));

export const appArmorProfileSchema = define(core('AppArmorProfile'), obj({
  type: str('Kind of AppArmor profile: Localhost, RuntimeDefault or Unconfined.'),
  localhostProfile: str(),
}, { required: ['type'], description: "AppArmorProfile defines a pod or container's AppArmor settings." }));

const containerSecurityContextSchema = define(core('SecurityContext'), obj({
  capabilities: define(core('Capabilities'), obj({ add: stringList('Added capabilities.'), drop: stringList('Removed capabilities.') })),
  privileged: bool('Run container in privileged mode.'),
  seLinuxOptions: selinuxOptionsSchema,
  windowsOptions: windowsOptionsSchema,
  runAsUser: int64('The UID to run the entrypoint of the container process.'),
  runAsGroup: int64('The GID to run the entrypoint of the container process.'),
  runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
  readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem.'),
  allowPrivilegeEscalation: bool('Whether a process can gain more privileges than its parent process.'),
  procMount: str('procMount denotes the type of proc mount to use for the containers.'),
  seccompProfile: seccompProfileSchema,
  appArmorProfile: appArmorProfileSchema,
}, { description: 'SecurityContext holds security configuration that will be applied to a container.' }));

const containerPortSchema = define(core('ContainerPort'), obj({
  name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod.'),
  hostPort: int32('Number of port to expose on the host.'),
  containerPort: int32("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
  protocol: str('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
  hostIP: str('What host IP to bind the external port to.'),
}, { required: ['containerPort'], description: 'ContainerPort represents a network port in a single container.' }));

const keySelector = (what: 'ConfigMap' | 'Secret'): JSONSchema => define(core(`${what}KeySelector`), obj({
  name: str(`Name of the ${what}.`),
  key: str(`The key of the ${what} to select.`),
  optional: bool(`Specify whether the ${what} or its key must be defined.`),
}, { required: ['key'], description: `Selects a key from a ${what}.` }));

export const objectFieldSelectorSchema = define(core('ObjectFieldSelector'), obj({
  apiVersion: str('Version of the schema the FieldPath is written in terms of, defaults to "v1".'),
  fieldPath: str('Path of the field to select in the specified API version.'),
}, { required: ['fieldPath'], description: 'ObjectFieldSelector selects an APIVersioned field of an object.' }));

export const resourceFieldSelectorSchema = define(core('ResourceFieldSelector'), obj({
  containerName: str('Container name: required for volumes, optional for env vars.'),
  resource: str('Required: resource to select.'),
  divisor: quantity('Specifies the output format of the exposed resources, defaults to "1".'),
}, { required: ['resource'], description: 'ResourceFieldSelector represents container resources (cpu, memory) and their output format.' }));

const envVarSchema = define(core('EnvVar'), obj({
  name: str('Name of the environment variable.'),
  value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables.'),
  valueFrom: define(core('EnvVarSource'), obj({
    fieldRef: objectFieldSelectorSchema,
    resourceFieldRef: resourceFieldSelectorSchema,
    configMapKeyRef: keySelector('ConfigMap'),
    secretKeyRef: keySelector('Secret'),
    fileKeyRef: openObj('FileKeyRef selects a key of the env file.'),
  }, { description: "EnvVarSource represents a source for the value of an EnvVar. Cannot be used if value is not empty." })),
}, { required: ['name'], description: 'EnvVar represents an environment variable present in a Container.' }));

const envFromSourceSchema = define(core('EnvFromSource'), obj({
  prefix: str('Optional text to prepend to the name of each environment variable.'),
  configMapRef: define(core('ConfigMapEnvSource'), obj({ name: str(), optional: bool() }, { description: 'The ConfigMap to select from.' })),
  secretRef: define(core('SecretEnvSource'), obj({ name: str(), optional: bool() }, { description: 'The Secret to select from.' })),
}, { description: 'EnvFromSource represents the source of a set of ConfigMaps or Secrets.' }));

export const resourceRequirementsSchema = define(core('ResourceRequirements'), obj({
  limits: quantityMap('Limits describes the maximum amount of compute resources allowed.'),
  requests: quantityMap('Requests describes the minimum amount of compute resources required.'),
  claims: mergeList(define(core('ResourceClaim'), obj({ name: str(), request: str() }, { required: ['name'] })), 'name', { description: 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.' }),
}, { description: 'ResourceRequirements describes the compute resource requirements.' }));

const volumeMountSchema = define(core('VolumeMount'), obj({
  name: str('This must match the Name of a Volume.'),
  readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified).'),
  recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
  mountPath: str("Path within the container at which the volume should be mounted. Must not contain ':'."),
  subPath: str("Path within the volume from which the container's volume should be mounted."),
  mountPropagation: str('mountPropagation determines how mounts are propagated from the host to container and the other way around.'),
  subPathExpr: str("Expanded path within the volume from which the container's volume should be mounted."),
}, { required: ['name', 'mountPath'], description: 'VolumeMount describes a mounting of a Volume within a container.' }));

const volumeDeviceSchema = define(core('VolumeDevice'), obj({
  name: str('name must match the name of a persistentVolumeClaim in the pod'),
  devicePath: str('devicePath is the path inside of the container that the device will be mapped to.'),
}, { required: ['name', 'devicePath'], description: 'volumeDevice describes a mapping of a raw block device within a container.' }));

const execActionSchema = define(core('ExecAction'), obj({
  command: stringList('Command is the command line to execute inside the container.'),
}, { description: 'ExecAction describes a "run in container" action.' }));

const httpGetActionSchema = define(core('HTTPGetAction'), obj({
  path: str('Path to access on the HTTP server.'),
  port: intOrString('Name or number of the port to access on the container.'),
  host: str('Host name to connect to, defaults to the pod IP.'),
  scheme: str('Scheme to use for connecting to the host. Defaults to HTTP.'),
  httpHeaders: atomicList(define(core('HTTPHeader'), obj({ name: str(), value: str() }, { required: ['name', 'value'] })), 'Custom headers to set in the request.'),
}, { required: ['port'], description: 'HTTPGetAction describes an action based on HTTP Get requests.' }));

const tcpSocketActionSchema = define(core('TCPSocketAction'), obj({
  port: intOrString('Number or name of the port to access on the container.'),
  host: str('Optional: Host name to connect to, defaults to the pod IP.'),
}, { required: ['port'], description: 'TCPSocketAction describes an action based on opening a socket' }));

const grpcActionSchema = define(core('GRPCAction'), obj({
  port: int32('Port number of the gRPC service.'),
  service: str('Service is the name of the service to place in the gRPC HealthCheckRequest.'),
}, { required: ['port'] }));

define(core('Probe'), obj({
  exec: execActionSchema,
  httpGet: httpGetActionSchema,
  tcpSocket: tcpSocketActionSchema,
  grpc: grpcActionSchema,
  initialDelaySeconds: int32('Number of seconds after the container has started before liveness probes are initiated.'),
  timeoutSeconds: int32('Number of seconds after which the probe times out. Defaults to 1 second.'),
  periodSeconds: int32('How often (in seconds) to perform the probe. Default to 10 seconds.'),
  successThreshold: int32('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1.'),
  failureThreshold: int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3.'),
  terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.'),
}, { description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.' }));

const probe = (description: string): JSONSchema => ref(core('Probe'), description);

define(core('LifecycleHandler'), obj({
  exec: execActionSchema,
  httpGet: httpGetActionSchema,
  tcpSocket: tcpSocketActionSchema,
  sleep: define(core('SleepAction'), obj({ seconds: int64('Seconds is the number of seconds to sleep.') }, { required: ['seconds'] })),
}, { description: 'LifecycleHandler defines a specific action that should be taken in a lifecycle hook.' }));

const lifecycleSchema = define(core('Lifecycle'), obj({
  postStart: ref(core('LifecycleHandler'), 'PostStart is called immediately after a container is created.'),
  preStop: ref(core('LifecycleHandler'), 'PreStop is called immediately before a container is terminated.'),
  stopSignal: str('StopSignal defines which signal will be sent to a container when it is being stopped.'),
}, { description: 'Lifecycle describes actions that the management system should take in response to container lifecycle events.' }));

const containerResizePolicySchema = define(core('ContainerResizePolicy'), obj({
  resourceName: str('Name of the resource to which this resource resize policy applies.'),
  restartPolicy: str('Restart policy to apply when specified resource is resized.'),
}, { required: ['resourceName', 'restartPolicy'] }));

const containerProperties = (): Record<string, JSONSchema> => ({
  name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
  image: str('Container image name.'),
  command: stringList("Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided."),
  args: stringList("Arguments to the entrypoint. The container image's CMD is used if this is not provided."),
  workingDir: str("Container's working directory."),
  ports: mergeList(containerPortSchema, 'containerPort', { mapKeys: ['containerPort', 'protocol'], description: 'List of ports to expose from the container.' }),
  envFrom: atomicList(envFromSourceSchema, 'List of sources to populate environment variables in the container.'),
  env: mergeList(envVarSchema, 'name', { description: 'List of environment variables to set in the container.' }),
  resources: ref(core('ResourceRequirements'), 'Compute Resources required by this container.'),
  resizePolicy: atomicList(containerResizePolicySchema, 'Resources resize policy for the container.'),
  restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod (init containers: "Always" makes a sidecar).'),
  restartPolicyRules: atomicList(openObj(), 'Rules for restarting this container on exit.'),
  volumeMounts: mergeList(volumeMountSchema, 'mountPath', { description: "Pod volumes to mount into the container's filesystem." }),
  volumeDevices: mergeList(volumeDeviceSchema, 'devicePath', { description: 'volumeDevices is the list of block devices to be used by the container.' }),
  livenessProbe: probe('Periodic probe of container liveness. Container will be restarted if the probe fails.'),
  readinessProbe: probe('Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.'),
  startupProbe: probe('StartupProbe indicates that the Pod has successfully initialized.'),
  lifecycle: lifecycleSchema,
  terminationMessagePath: str("Path at which the file to which the container's termination message will be written is mounted. Defaults to /dev/termination-log."),
  terminationMessagePolicy: str('Indicate how the termination message should be populated: File or FallbackToLogsOnError. Defaults to File.'),
  imagePullPolicy: str('Image pull policy: Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.'),
  securityContext: containerSecurityContextSchema,
  stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime.'),
  stdinOnce: bool('Whether the container runtime should close the stdin channel after it has been opened by a single attach.'),
  tty: bool('Whether this container should allocate a TTY for itself, also requires stdin to be true.'),
});

export const containerSchema = define(core('Container'), obj(containerProperties(), {
  required: ['name'],
  description: 'A single application container that you want to run within a pod.',
}));

export const ephemeralContainerSchema = define(core('EphemeralContainer'), obj({
  ...containerProperties(),
  targetContainerName: str('If set, the name of the container from PodSpec that this ephemeral container targets.'),
}, { required: ['name'], description: 'An EphemeralContainer is a temporary container added to an existing Pod for debugging.' }));

