// A minimal gRPC client for containerd's API over its unix socket: reads, kill/delete, and what
// a container start needs (snapshot prepare/mounts, container create with an OCI spec, task
// create/start). Every call carries the `containerd-namespace` metadata. Messages are encoded
// with protobufjs from the hand-written subset of containerd's protos (containerd-protos.ts).
//
// Transport: unary calls go over shared/grpc's lean HTTP/2 client (h2-unary-client.ts, also the
// apiserver's etcd client); grpc-js cost the kubelet ~0.3 ms of CPU per call, and a pod start
// makes tens of calls (CPU profile of bench:pods, docs/BENCHMARKS.md). The two server-streaming
// calls (content read at image import, event subscription) stay on @grpc/grpc-js, dialled only
// when first used.
//
// Contract:
// - Transport failures (socket missing, daemon down, deadline) reject with
//   RuntimeUnavailableError; gRPC NOT_FOUND rejects with NotFoundError; other errors with a
//   plain Error carrying containerd's message.
// - Responses are plain objects (int64 → number, enums → names, defaults filled in).
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { requestHeaders, H2UnaryClient } from '@k8ts/shared/grpc/h2-unary-client';
import { GrpcStatusError, grpcFrame, unaryGrpc } from '@k8ts/shared/grpc/grpc-unary';
import { RuntimeUnavailableError } from '../types.js';
import { CONTAINERD_SERVICES, CONTAINERD_TYPES, GOOGLE_PROTOS } from './containerd-protos.js';

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

const root = new protobuf.Root();
protobuf.parse(GOOGLE_PROTOS, root, { keepCase: true });
protobuf.parse(CONTAINERD_TYPES, root, { keepCase: true });
protobuf.parse(CONTAINERD_SERVICES, root, { keepCase: true });
root.resolveAll();

/** Generates every message type's encoder, decoder and converters now (protobufjs does it at
 *  first use: tens of ms of code generation that would otherwise land on the first pod start). */
let warmed = false;
function warmUp(ns: protobuf.NamespaceBase = root): void {
  for (const o of ns.nestedArray) {
    if (o instanceof protobuf.Type) o.setup();
    if (o instanceof protobuf.Namespace || o instanceof protobuf.Type) warmUp(o);
  }
}

const types = new Map<string, protobuf.Type>();
const type = (name: string): protobuf.Type => {
  let t = types.get(name);
  if (!t) types.set(name, (t = root.lookupType(name.includes('.') ? name : `k8ts.containerd.${name}`)));
  return t;
};
const TO_OBJECT = { longs: Number, enums: String, defaults: true, bytes: Buffer } as const;

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;

export interface Timestamp { seconds: number; nanos: number }
export const tsToMs = (t: Timestamp | null | undefined): number | undefined =>
  t && (t.seconds || t.nanos) ? t.seconds * 1000 + Math.floor(t.nanos / 1e6) : undefined;

export interface ProcessInfo {
  container_id: string;
  id: string;
  pid: number;
  status: 'UNKNOWN' | 'CREATED' | 'RUNNING' | 'STOPPED' | 'PAUSED' | 'PAUSING';
  exit_status: number;
  exited_at?: Timestamp | null;
}

export interface ContainerRecord {
  id: string;
  labels: Record<string, string>;
  image: string;
  snapshotter: string;
  snapshot_key: string;
  created_at?: Timestamp | null;
}

export interface MountRecord { type: string; source: string; options: string[] }

/** What containers.v1 Create takes: the OCI spec travels as JSON in an Any, as containerd's client sends it. */
export interface NewContainer {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: string;
  spec: object;
  snapshotter: string;
  snapshotKey: string;
}

const OCI_SPEC_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';

export interface ImageRecord {
  name: string;
  labels: Record<string, string>;
  target: { media_type: string; digest: string; size: number; annotations: Record<string, string> };
  created_at?: Timestamp | null;
}

export interface EventEnvelope {
  namespace: string;
  topic: string;
  timestamp?: Timestamp | null;
  event?: { type_url: string; value: Buffer } | null;
}

const methods = {
  version: ['/containerd.services.version.v1.Version/Version', 'google.protobuf.Empty', 'VersionResponse'],
  listNamespaces: ['/containerd.services.namespaces.v1.Namespaces/List', 'ListNamespacesRequest', 'ListNamespacesResponse'],
  deleteNamespace: ['/containerd.services.namespaces.v1.Namespaces/Delete', 'DeleteNamespaceRequest', 'google.protobuf.Empty'],
  getContainer: ['/containerd.services.containers.v1.Containers/Get', 'GetContainerRequest', 'GetContainerReadResponse'],
  listContainers: ['/containerd.services.containers.v1.Containers/List', 'ListContainersRequest', 'ListContainersReadResponse'],
  deleteContainer: ['/containerd.services.containers.v1.Containers/Delete', 'DeleteContainerRequest', 'google.protobuf.Empty'],
  createContainer: ['/containerd.services.containers.v1.Containers/Create', 'CreateContainerRequest', 'CreateContainerResponse'],
  createTask: ['/containerd.services.tasks.v1.Tasks/Create', 'CreateTaskRequest', 'CreateTaskResponse'],
  startTask: ['/containerd.services.tasks.v1.Tasks/Start', 'StartRequest', 'StartResponse'],
  prepareSnapshot: ['/containerd.services.snapshots.v1.Snapshots/Prepare', 'PrepareSnapshotRequest', 'MountsResponse'],
  snapshotMounts: ['/containerd.services.snapshots.v1.Snapshots/Mounts', 'MountsRequest', 'MountsResponse'],
  deleteTask: ['/containerd.services.tasks.v1.Tasks/Delete', 'DeleteTaskRequest', 'DeleteResponse'],
  getTask: ['/containerd.services.tasks.v1.Tasks/Get', 'GetRequest', 'GetResponse'],
  listTasks: ['/containerd.services.tasks.v1.Tasks/List', 'ListTasksRequest', 'ListTasksResponse'],
  kill: ['/containerd.services.tasks.v1.Tasks/Kill', 'KillRequest', 'google.protobuf.Empty'],
  resizePty: ['/containerd.services.tasks.v1.Tasks/ResizePty', 'ResizePtyRequest', 'google.protobuf.Empty'],
  getImage: ['/containerd.services.images.v1.Images/Get', 'GetImageRequest', 'GetImageResponse'],
  listImages: ['/containerd.services.images.v1.Images/List', 'ListImagesRequest', 'ListImagesResponse'],
  deleteImage: ['/containerd.services.images.v1.Images/Delete', 'DeleteImageRequest', 'google.protobuf.Empty'],
  contentInfo: ['/containerd.services.content.v1.Content/Info', 'InfoRequest', 'InfoResponse'],
  removeSnapshot: ['/containerd.services.snapshots.v1.Snapshots/Remove', 'RemoveSnapshotRequest', 'google.protobuf.Empty'],
} as const;

const TRANSPORT_CODES = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED]);

function mapError(e: { code: number; details?: string; message: string }, what: string): Error {
  if (TRANSPORT_CODES.has(e.code)) return new RuntimeUnavailableError(`containerd unreachable (${what}): ${e.details || e.message}`);
  if (e.code === grpc.status.NOT_FOUND) return new NotFoundError(e.details || e.message);
  return new Error(`containerd ${what}: ${e.details || e.message}`);
}

const GRPC_HEADERS = { 'content-type': 'application/grpc', te: 'trailers' };

export class ContainerdClient {
  private streams: grpc.Client | undefined;
  private readonly unary: H2UnaryClient;
  /** HPACK header blocks by method path and namespace (built once each) */
  private readonly headerBlocks = new Map<string, Buffer>();

  constructor(readonly socket: string, private readonly timeoutMs = 10_000) {
    this.unary = new H2UnaryClient({ path: socket }, 'containerd');
    if (!warmed) { warmed = true; warmUp(); }
  }

  close(): void {
    this.unary.close();
    this.streams?.close();
  }

  /** grpc-js, for the server-streaming calls only. */
  private streaming(): grpc.Client {
    this.streams ??= new grpc.Client(`unix://${this.socket}`, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    return this.streams;
  }

  private meta(ns?: string): grpc.Metadata {
    const m = new grpc.Metadata();
    if (ns) m.set('containerd-namespace', ns);
    return m;
  }

  private headers(path: string, ns: string | undefined): Buffer {
    const key = `${path} ${ns ?? ''}`;
    let h = this.headerBlocks.get(key);
    if (!h) {
      h = requestHeaders('localhost', path, ns ? { ...GRPC_HEADERS, 'containerd-namespace': ns } : GRPC_HEADERS);
      this.headerBlocks.set(key, h);
    }
    return h;
  }

  private async call<T = Obj>(name: keyof typeof methods, ns: string | undefined, req: Obj): Promise<T> {
    const [path, reqType, resType] = methods[name];
    const Req = type(reqType);
    const Res = type(resType);
    let body: Buffer;
    try {
      body = await unaryGrpc(this.unary, this.headers(path, ns), grpcFrame(Req.encode(Req.fromObject(req)).finish()), this.timeoutMs, 'containerd');
    } catch (e) {
      if (e instanceof GrpcStatusError) throw mapError(e, name);
      throw e;
    }
    return Res.toObject(Res.decode(body), TO_OBJECT) as T;
  }

  async version(): Promise<{ version: string; revision: string }> {
    return this.call('version', undefined, {});
  }

  async listNamespaces(): Promise<string[]> {
    return (await this.call('listNamespaces', undefined, {})).namespaces.map((n: Obj) => n.name as string);
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.call('deleteNamespace', undefined, { name });
  }

  async getContainer(ns: string, id: string): Promise<ContainerRecord | undefined> {
    try {
      return (await this.call('getContainer', ns, { id })).container as ContainerRecord;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async listContainers(ns: string, filters: string[] = []): Promise<ContainerRecord[]> {
    return (await this.call('listContainers', ns, { filters })).containers as ContainerRecord[];
  }

  async deleteContainer(ns: string, id: string): Promise<void> {
    await this.call('deleteContainer', ns, { id }).catch((e) => { if (!(e instanceof NotFoundError)) throw e; });
  }

  async createContainer(ns: string, c: NewContainer): Promise<void> {
    await this.call('createContainer', ns, {
      container: {
        id: c.id, labels: c.labels, image: c.image, runtime: { name: c.runtime },
        spec: { type_url: OCI_SPEC_TYPE_URL, value: Buffer.from(JSON.stringify(c.spec)) },
        snapshotter: c.snapshotter, snapshot_key: c.snapshotKey,
      },
    });
  }

  /** Creates a container's task (shim + `runc create`); stdout/stderr are containerd IO URIs. */
  async createTask(ns: string, id: string, rootfs: MountRecord[], io: { stdout: string; stderr: string }): Promise<number> {
    return (await this.call('createTask', ns, { container_id: id, rootfs, stdout: io.stdout, stderr: io.stderr, terminal: false })).pid as number;
  }

  async startTask(ns: string, id: string): Promise<void> {
    await this.call('startTask', ns, { container_id: id });
  }

  /** A new active snapshot `key` on top of `parent` (an image's chain id); returns its mounts. */
  async prepareSnapshot(ns: string, snapshotter: string, key: string, parent: string): Promise<MountRecord[]> {
    return (await this.call('prepareSnapshot', ns, { snapshotter, key, parent })).mounts as MountRecord[];
  }

  async snapshotMounts(ns: string, snapshotter: string, key: string): Promise<MountRecord[]> {
    return (await this.call('snapshotMounts', ns, { snapshotter, key })).mounts as MountRecord[];
  }

  async getTask(ns: string, id: string): Promise<ProcessInfo | undefined> {
    try {
      return (await this.call('getTask', ns, { container_id: id })).process as ProcessInfo;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async listTasks(ns: string): Promise<ProcessInfo[]> {
    return (await this.call('listTasks', ns, {})).tasks as ProcessInfo[];
  }

  async kill(ns: string, id: string, signal: number, opts: { execId?: string; all?: boolean } = {}): Promise<void> {
    await this.call('kill', ns, { container_id: id, exec_id: opts.execId ?? '', signal, all: opts.all ?? false });
  }

  async resizePty(ns: string, id: string, execId: string, width: number, height: number): Promise<void> {
    await this.call('resizePty', ns, { container_id: id, exec_id: execId, width, height });
  }

  /** Deletes a stopped task; returns its exit status. */
  async deleteTask(ns: string, id: string): Promise<{ exit_status: number; exited_at?: Timestamp | null } | undefined> {
    try {
      return await this.call('deleteTask', ns, { container_id: id });
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async getImage(ns: string, name: string): Promise<ImageRecord | undefined> {
    try {
      return (await this.call('getImage', ns, { name })).image as ImageRecord;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async listImages(ns: string): Promise<ImageRecord[]> {
    return (await this.call('listImages', ns, {})).images as ImageRecord[];
  }

  async deleteImage(ns: string, name: string): Promise<void> {
    await this.call('deleteImage', ns, { name, sync: true }).catch((e) => { if (!(e instanceof NotFoundError)) throw e; });
  }

  async contentSize(ns: string, digest: string): Promise<number | undefined> {
    try {
      return (await this.call('contentInfo', ns, { digest })).info.size as number;
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  async removeSnapshot(ns: string, snapshotter: string, key: string): Promise<void> {
    await this.call('removeSnapshot', ns, { snapshotter, key }).catch((e) => { if (!(e instanceof NotFoundError)) throw e; });
  }

  /** Reads a whole content blob (manifests, configs: small). */
  readContent(ns: string, digest: string): Promise<Buffer> {
    const Req = type('ReadContentRequest');
    const Res = type('ReadContentResponse');
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const stream = this.streaming().makeServerStreamRequest(
        '/containerd.services.content.v1.Content/Read',
        (v: Obj) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
        (b: Buffer) => Res.toObject(Res.decode(b), TO_OBJECT),
        { digest, offset: 0, size: 0 },
        this.meta(ns),
        { deadline: Date.now() + this.timeoutMs },
      );
      stream.on('data', (d: Obj) => chunks.push(d.data as Buffer));
      stream.on('error', (e: grpc.ServiceError) => reject(mapError(e, 'content read')));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  }

  /** Subscribes to containerd events (all namespaces); returns a cancel function. */
  subscribe(filters: string[], onEvent: (e: EventEnvelope) => void, onError: (e: Error) => void): () => void {
    const Req = type('SubscribeRequest');
    const Res = type('Envelope');
    const stream = this.streaming().makeServerStreamRequest(
      '/containerd.services.events.v1.Events/Subscribe',
      (v: Obj) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
      (b: Buffer) => Res.toObject(Res.decode(b), TO_OBJECT),
      { filters },
      new grpc.Metadata(),
    );
    let cancelled = false;
    stream.on('data', (e: EventEnvelope) => onEvent(e));
    stream.on('error', (e: grpc.ServiceError) => { if (!cancelled) onError(mapError(e, 'events')); });
    return () => { cancelled = true; stream.cancel(); };
  }

  decodeEvent<T = Obj>(typeName: 'TaskOOM' | 'TaskExit', value: Buffer): T {
    const t = type(typeName);
    return t.toObject(t.decode(value), TO_OBJECT) as T;
  }
}
