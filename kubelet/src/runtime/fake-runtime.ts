// FakeRuntime — test double, not a runtime; never used outside tests.
//
// An in-memory ContainerRuntime that simulates sandboxes and containers so the kubelet's pod
// logic (workers, restarts, probes, status) can be tested without containerd. Nothing is
// executed: a "container" is a record whose lifetime follows a scripted behaviour.
//
// Contract (mirrors runtime/types.ts where it matters for the kubelet):
// - Idempotent runPodSandbox / stop / remove, as the interface requires; sandbox ids are
//   derived from (uid, attempt); labels are stored and returned unchanged by list*.
// - A started container runs until its behaviour's `runMs` elapses (then exits with
//   `exitCode`, default 0), until stopContainer (exit 143 after SIGTERM, or 137 when the
//   behaviour ignores SIGTERM and the grace period elapses), or forever.
// - setDown(true) makes every call throw RuntimeUnavailableError (daemon unreachable).
// - Images: addImage() makes one present locally; addRegistryImage() makes it pullable;
//   pulling anything else throws RuntimeError('ErrImagePull').
// - `calls` records the mutating calls in order, for assertions.
// Not simulated: logs beyond a fixed line, resource limits, networking (IPs are made up).
import { randomBytes } from 'node:crypto';
import type { ImageConfig, ImageConfigSource } from './image-config.js';
import {
  normalizeImageRef, RuntimeError, RuntimeUnavailableError,
  type ContainerConfig, type ContainerRuntime, type ContainerStatus, type ExecOptions, type ImageInfo,
  type LogOptions, type PodSandboxConfig, type PodSandboxStatus, type RuntimeVersion,
} from './types.js';

export interface FakeBehaviour {
  /** Exit after this many ms; undefined = run until stopped. */
  runMs?: number;
  exitCode?: number;
  /** Keep running after SIGTERM until the grace period ends (then SIGKILL, exit 137). */
  ignoreSigterm?: boolean;
  /** createContainer throws RuntimeError(reason 'CreateContainerError', this message). */
  failCreate?: string;
  /** startContainer throws RuntimeError(reason 'RunContainerError', this message). */
  failStart?: string;
  /** Exit code of an exec in this container (probes); default from FakeRuntime.execHandler. */
  exec?: (command: string[]) => number | Promise<number>;
}

export type BehaviourFor = (config: ContainerConfig, sandbox: PodSandboxConfig) => FakeBehaviour;

interface FakeContainer {
  status: ContainerStatus;
  behaviour: FakeBehaviour;
  timer?: NodeJS.Timeout;
  stopping?: Promise<void>;
}

interface FakeSandbox { status: PodSandboxStatus; config: PodSandboxConfig }

interface FakeImage { info: ImageInfo; config: ImageConfig }

export class FakeRuntime implements ContainerRuntime, ImageConfigSource {
  readonly calls: string[] = [];
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, FakeImage>();
  private readonly registry = new Map<string, FakeImage>();
  private down = false;
  private nextIp = 2;
  /** Per-container behaviour; default: run forever. Tests replace it. */
  behaviourFor: BehaviourFor = () => ({});
  /** Exec result when the container's behaviour has no exec(); default 0. */
  execHandler: (containerName: string, command: string[]) => number | Promise<number> = () => 0;

  constructor(opts: { images?: string[] } = {}) {
    for (const i of opts.images ?? []) this.addImage(i);
  }

  // ---- test controls ----------------------------------------------------------------------

  setDown(down: boolean): void { this.down = down; }

  addImage(ref: string, config: Partial<ImageConfig> = {}): void {
    const img = makeImage(ref, config);
    this.images.set(img.info.repoTags[0]!, img);
  }

  addRegistryImage(ref: string, config: Partial<ImageConfig> = {}): void {
    const img = makeImage(ref, config);
    this.registry.set(img.info.repoTags[0]!, img);
  }

  /** Makes a running container exit now (a crash seen from outside). */
  exitContainer(id: string, exitCode: number): void {
    const c = this.containers.get(id);
    if (c && c.status.state === 'running') this.finish(c, exitCode);
  }

  /** Snapshot of every container (any sandbox). */
  allContainers(): ContainerStatus[] { return [...this.containers.values()].map((c) => ({ ...c.status })); }
  allSandboxes(): PodSandboxStatus[] { return [...this.sandboxes.values()].map((s) => ({ ...s.status })); }

  /** Stops every timer (test cleanup). */
  dispose(): void {
    for (const c of this.containers.values()) if (c.timer) clearTimeout(c.timer);
  }

  // ---- ContainerRuntime ---------------------------------------------------------------------

  async version(): Promise<RuntimeVersion> {
    this.check();
    return { runtimeName: 'fake', runtimeVersion: '0.0.0-test' };
  }

  async status(): Promise<void> { this.check(); }

  async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    this.check();
    const id = `sb-${config.uid}-${config.attempt}`;
    const existing = this.sandboxes.get(id);
    if (existing) return { ...existing.status };
    this.calls.push(`runPodSandbox ${config.namespace}/${config.name} ${config.attempt}`);
    const status: PodSandboxStatus = {
      id, uid: config.uid, name: config.name, namespace: config.namespace, attempt: config.attempt,
      state: 'ready', createdAt: Date.now(), labels: { ...config.labels },
    };
    if (!config.hostNetwork) status.ip = `10.244.0.${this.nextIp++}`;
    this.sandboxes.set(id, { status, config });
    return { ...status };
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.check();
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    this.calls.push(`stopPodSandbox ${sb.status.name}`);
    await Promise.all([...this.containers.values()].filter((c) => c.status.sandboxId === id).map((c) => this.stopContainer(c.status.id, 0)));
    sb.status.state = 'notready';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.check();
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    this.calls.push(`removePodSandbox ${sb.status.name}`);
    for (const c of [...this.containers.values()]) {
      if (c.status.sandboxId === id) {
        if (c.timer) clearTimeout(c.timer);
        this.containers.delete(c.status.id);
      }
    }
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus | undefined> {
    this.check();
    const sb = this.sandboxes.get(id);
    return sb ? { ...sb.status } : undefined;
  }

  async listPodSandboxes(filter: { uid?: string } = {}): Promise<PodSandboxStatus[]> {
    this.check();
    return this.allSandboxes().filter((s) => !filter.uid || s.uid === filter.uid);
  }

  async createContainer(sandboxId: string, config: ContainerConfig, sandbox: PodSandboxConfig): Promise<string> {
    this.check();
    if (!this.sandboxes.has(sandboxId)) throw new RuntimeError('CreateContainerError', `sandbox ${sandboxId} not found`);
    const behaviour = this.behaviourFor(config, sandbox);
    if (behaviour.failCreate) throw new RuntimeError('CreateContainerError', behaviour.failCreate);
    const image = this.images.get(normalizeImageRef(config.image));
    if (!image) throw new RuntimeError('CreateContainerError', `image ${config.image} not found`);
    const id = randomBytes(32).toString('hex');
    this.calls.push(`createContainer ${sandbox.name}/${config.name} ${config.attempt}`);
    this.containers.set(id, {
      behaviour,
      status: {
        id, sandboxId, name: config.name, attempt: config.attempt, image: config.image,
        imageRef: image.info.repoDigests[0]!, state: 'created', createdAt: Date.now(),
        logPath: config.logPath, labels: { ...config.labels },
      },
    });
    this.lastConfigs.set(id, config);
    return id;
  }

  /** The config each container was created with (env, mounts, command ...), by container id. */
  readonly lastConfigs = new Map<string, ContainerConfig>();

  async startContainer(id: string): Promise<void> {
    this.check();
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('RunContainerError', `container ${id} not found`);
    if (c.status.state !== 'created') return;
    if (c.behaviour.failStart) {
      c.status.state = 'exited';
      c.status.exitCode = 128;
      c.status.reason = 'StartError';
      c.status.message = c.behaviour.failStart;
      c.status.finishedAt = Date.now();
      throw new RuntimeError('RunContainerError', c.behaviour.failStart);
    }
    this.calls.push(`startContainer ${c.status.name} ${c.status.attempt}`);
    c.status.state = 'running';
    c.status.startedAt = Date.now();
    if (c.behaviour.runMs !== undefined) {
      c.timer = setTimeout(() => this.finish(c, c.behaviour.exitCode ?? 0), c.behaviour.runMs);
      c.timer.unref();
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    this.check();
    const c = this.containers.get(id);
    if (!c) return;
    if (c.status.state === 'created') { this.finish(c, 0); return; }
    if (c.status.state !== 'running') return;
    if (c.stopping) return c.stopping;
    this.calls.push(`stopContainer ${c.status.name} ${timeoutSeconds}`);
    if (!c.behaviour.ignoreSigterm || timeoutSeconds <= 0) {
      this.finish(c, timeoutSeconds <= 0 ? 137 : 143);
      return;
    }
    c.stopping = new Promise<void>((resolve) => {
      const t = setTimeout(() => { this.finish(c, 137); resolve(); }, timeoutSeconds * 1000);
      t.unref();
    });
    return c.stopping;
  }

  async removeContainer(id: string): Promise<void> {
    this.check();
    const c = this.containers.get(id);
    if (!c) return;
    if (c.timer) clearTimeout(c.timer);
    this.calls.push(`removeContainer ${c.status.name} ${c.status.attempt}`);
    this.containers.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerStatus | undefined> {
    this.check();
    const c = this.containers.get(id);
    return c ? { ...c.status } : undefined;
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    this.check();
    return this.allContainers().filter((c) => !filter.sandboxId || c.sandboxId === filter.sandboxId);
  }

  async exec(id: string, opts: ExecOptions): Promise<number> {
    this.check();
    const c = this.containers.get(id);
    if (!c || c.status.state !== 'running') throw new RuntimeError('ExecError', `container ${id} is not running`);
    return c.behaviour.exec ? c.behaviour.exec(opts.command) : this.execHandler(c.status.name, opts.command);
  }

  async logs(id: string, _opts: LogOptions, out: NodeJS.WritableStream): Promise<void> {
    this.check();
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `container ${id} not found`);
    out.write(`fake log of ${c.status.name}\n`);
  }

  async listImages(): Promise<ImageInfo[]> {
    this.check();
    return [...this.images.values()].map((i) => i.info);
  }

  async imageStatus(ref: string): Promise<ImageInfo | undefined> {
    this.check();
    return this.images.get(normalizeImageRef(ref))?.info;
  }

  async pullImage(ref: string): Promise<ImageInfo> {
    this.check();
    const key = normalizeImageRef(ref);
    this.calls.push(`pullImage ${key}`);
    const img = this.registry.get(key) ?? this.images.get(key);
    if (!img) throw new RuntimeError('ErrImagePull', `failed to resolve reference "${key}": no registry is reachable`);
    this.images.set(key, img);
    return img.info;
  }

  async importImage(_tarPath: string): Promise<ImageInfo[]> {
    this.check();
    throw new RuntimeError('ImportError', 'the fake runtime does not import tarballs');
  }

  async removeImage(ref: string): Promise<void> {
    this.check();
    this.images.delete(normalizeImageRef(ref));
  }

  async imageConfig(ref: string): Promise<ImageConfig | undefined> {
    this.check();
    return this.images.get(normalizeImageRef(ref))?.config;
  }

  // ---- internals ----------------------------------------------------------------------------

  private check(): void {
    if (this.down) throw new RuntimeUnavailableError('fake runtime: connection refused');
  }

  private finish(c: FakeContainer, exitCode: number): void {
    if (c.timer) clearTimeout(c.timer);
    c.timer = undefined;
    c.status.state = 'exited';
    c.status.exitCode = exitCode;
    c.status.finishedAt = Date.now();
    c.status.reason = exitCode === 0 ? 'Completed' : 'Error';
    if (c.status.startedAt === undefined) c.status.startedAt = c.status.finishedAt;
  }
}

function makeImage(ref: string, config: Partial<ImageConfig>): FakeImage {
  const key = normalizeImageRef(ref);
  const digest = `sha256:${Buffer.from(key).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  const repo = key.replace(/[:@][^/]*$/, '');
  return {
    info: { id: digest, repoTags: [key], repoDigests: [`${repo}@${digest}`], sizeBytes: 1_000_000 },
    config: { entrypoint: config.entrypoint ?? [], cmd: config.cmd ?? ['sh'], env: config.env ?? [], workingDir: config.workingDir, exposedPorts: config.exposedPorts ?? [] },
  };
}
