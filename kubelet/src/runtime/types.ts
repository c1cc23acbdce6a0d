// The kubelet's runtime shim interface: a narrow, CRI-shaped contract between the pod workers
// (which decide WHAT should run) and a container runtime (which knows HOW). One real
// implementation runs over containerd (runtime/containerd/); tests of pod logic may use an
// in-memory one (runtime/fake-runtime.ts), which is declared as such and never stands in for
// containerd where a test claims to test the real thing.
//
// Contract (every implementation):
// - Idempotent: runPodSandbox for an existing sandbox id, stopping a stopped container,
//   removing something already gone: all succeed without side effects.
// - Names and labels are the source of truth for adoption: everything a runtime creates carries
//   the labels passed in, and list* returns them, so a restarted kubelet can find what it runs.
// - Errors that mean "the runtime cannot do this for this pod" (bad image, bad command, mount
//   failure) throw RuntimeError with a reason the kubelet shows in container status
//   (ErrImagePull, CreateContainerError, RunContainerError ...); transport errors to the
//   runtime daemon throw RuntimeUnavailableError and mean "retry, and report the node".
// - Timestamps are epoch milliseconds.

export type SandboxState = 'ready' | 'notready';
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface PodSandboxConfig {
  /** Pod uid: unique and stable; implementations derive ids/names from it. */
  uid: string;
  name: string;
  namespace: string;
  /** Attempt number, bumped when a sandbox must be recreated. */
  attempt: number;
  hostname: string;
  /** Lines of /etc/resolv.conf for the pod (ClusterFirst DNS), or undefined for the node's. */
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  /** hostNetwork: true → no network namespace of its own, no pod IP (the node's IP). */
  hostNetwork: boolean;
  /** Host ports the pod asks for (hostPort → containerPort). */
  portMappings: { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort: number; hostIP?: string }[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Directory for this pod's container logs (kubelet-owned). */
  logDirectory: string;
}

export interface PodSandboxStatus {
  id: string;
  uid: string;
  name: string;
  namespace: string;
  attempt: number;
  state: SandboxState;
  createdAt: number;
  /** Pod IP (absent for hostNetwork pods: the kubelet uses the node IP). */
  ip?: string;
  labels: Record<string, string>;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerConfig {
  /** Container name within the pod (spec.containers[].name). */
  name: string;
  /** Restart count: part of the runtime's container identity (name_attempt). */
  attempt: number;
  /** Image reference as resolved by ensureImage (e.g. docker.io/library/nginx:latest). */
  image: string;
  /** Entrypoint and arguments after Kubernetes' command/args rules are applied. */
  command: string[];
  args: string[];
  env: { name: string; value: string }[];
  workingDir?: string;
  mounts: Mount[];
  /** Relative to the sandbox's logDirectory, e.g. `web/0.log`. */
  logPath: string;
  tty: boolean;
  stdin: boolean;
  /** cgroup limits from resources.limits; undefined = unlimited. */
  limits?: { cpuMillis?: number; memoryBytes?: number };
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  image: string;
  /** Content digest reference, e.g. `docker.io/library/nginx@sha256:...`. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Runtime's reason for exit, e.g. `OOMKilled`, `Error`, `Completed`. */
  reason?: string;
  message?: string;
  logPath: string;
  labels: Record<string, string>;
}

export interface ImageInfo {
  /** e.g. sha256:abc... */
  id: string;
  /** Normalized references, e.g. docker.io/library/nginx:latest. */
  repoTags: string[];
  repoDigests: string[];
  sizeBytes: number;
}

/** The runtime part of an image's config (OCI image config `config`), for command/env defaults. */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir?: string;
  user?: string;
  stopSignal?: string;
  exposedPorts: string[];
}

export interface ExecOptions {
  command: string[];
  tty: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Terminal size changes (tty only). */
  resize?: AsyncIterable<{ width: number; height: number }>;
  /** Kills the exec'd process when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface LogOptions {
  follow: boolean;
  /** Last N lines only. */
  tail?: number;
  sinceTime?: number;
  timestamps: boolean;
  limitBytes?: number;
  signal?: AbortSignal;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
}

export interface ContainerRuntime {
  version(): Promise<RuntimeVersion>;
  /** Resolves when the runtime daemon answers; throws RuntimeUnavailableError otherwise. */
  status(): Promise<void>;

  runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus>;
  /** Stops every container of the sandbox and tears down its network (keeps its record). */
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus | undefined>;
  /** Every sandbox of the node, or only those of one pod (`uid`). */
  listPodSandboxes(filter?: { uid?: string }): Promise<PodSandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds` (0 = SIGKILL at once). */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus | undefined>;
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>;

  /** Runs a command in a running container; resolves with its exit code. */
  exec(id: string, opts: ExecOptions): Promise<number>;
  /** Streams the container's log (CRI log format decoded) into `out`. */
  logs(id: string, opts: LogOptions, out: NodeJS.WritableStream): Promise<void>;

  listImages(): Promise<ImageInfo[]>;
  /** Returns the image if present locally, else undefined. */
  imageStatus(ref: string): Promise<ImageInfo | undefined>;
  /** No registry is reachable: pulling an absent image throws RuntimeError('ErrImagePull'). */
  pullImage(ref: string): Promise<ImageInfo>;
  /** Imports an OCI or docker-archive tarball; returns the images it contained. */
  importImage(tarPath: string): Promise<ImageInfo[]>;
  removeImage(ref: string): Promise<void>;
  /** The image's Entrypoint/Cmd/Env/WorkingDir (undefined if the image is absent). Optional:
   *  runtimes that apply image defaults themselves in createContainer may omit it. */
  imageConfig?(ref: string): Promise<ImageConfig | undefined>;
}

export class RuntimeError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export class RuntimeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeUnavailableError';
  }
}

/** docker.io normalization: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImageRef(ref: string): string {
  let name = ref;
  let tagOrDigest = '';
  const at = name.indexOf('@');
  if (at >= 0) { tagOrDigest = name.slice(at); name = name.slice(0, at); } else {
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) { tagOrDigest = name.slice(colon); name = name.slice(0, colon); }
  }
  if (!tagOrDigest) tagOrDigest = ':latest';
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return name + tagOrDigest;
}
