// Image metadata from containerd's content store: CRI-style ImageInfo (id = config digest, size
// = manifest + config + layers) and the image's runtime config (Entrypoint, Cmd, Env ...).
//
// Contract: read-only; manifests and configs are cached by content digest (immutable), so
// listing images costs one gRPC call after the first time. An index (multi-platform) target is
// resolved to its linux/amd64 manifest (or its first manifest).
import { createHash } from 'node:crypto';
import type { ImageConfig, ImageInfo } from '../types.js';
import type { ContainerdClient, ImageRecord } from './grpc-client.js';

interface Descriptor { mediaType?: string; digest: string; size: number; platform?: { os?: string; architecture?: string } }
interface Resolved {
  configDigest: string;
  size: number;
  config: ImageConfig;
  /** The unpacked image's top snapshot (OCI chain id of rootfs.diff_ids): a container's parent. */
  chainId: string;
}

/** OCI chain id: ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)). */
export function chainIdOf(diffIds: string[]): string {
  let id = diffIds[0] ?? '';
  for (const d of diffIds.slice(1)) id = `sha256:${createHash('sha256').update(`${id} ${d}`).digest('hex')}`;
  return id;
}

export class ImageMetadata {
  private readonly cache = new Map<string, Resolved>();

  constructor(private readonly client: ContainerdClient, private readonly ns: string) {}

  private async json<T>(digest: string): Promise<T> {
    return JSON.parse((await this.client.readContent(this.ns, digest)).toString('utf8')) as T;
  }

  async resolve(img: ImageRecord): Promise<Resolved> {
    const hit = this.cache.get(img.target.digest);
    if (hit) return hit;
    let manifestDesc: Descriptor = { digest: img.target.digest, size: img.target.size, mediaType: img.target.media_type };
    let extra = 0;
    if (/index|manifest\.list/.test(img.target.media_type)) {
      const index = await this.json<{ manifests: Descriptor[] }>(img.target.digest);
      manifestDesc = index.manifests.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ?? index.manifests[0]!;
      extra = img.target.size;
    }
    const manifest = await this.json<{ config: Descriptor; layers: Descriptor[] }>(manifestDesc.digest);
    const raw = await this.json<{ config?: Record<string, unknown>; rootfs?: { diff_ids?: string[] } }>(manifest.config.digest);
    const c = (raw.config ?? {}) as {
      Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] | null; WorkingDir?: string;
      User?: string; StopSignal?: string; ExposedPorts?: Record<string, unknown>;
    };
    const resolved: Resolved = {
      configDigest: manifest.config.digest,
      chainId: chainIdOf(raw.rootfs?.diff_ids ?? []),
      size: extra + manifestDesc.size + manifest.config.size + manifest.layers.reduce((a, l) => a + l.size, 0),
      config: {
        entrypoint: c.Entrypoint ?? [],
        cmd: c.Cmd ?? [],
        env: c.Env ?? [],
        ...(c.WorkingDir ? { workingDir: c.WorkingDir } : {}),
        ...(c.User ? { user: c.User } : {}),
        ...(c.StopSignal ? { stopSignal: c.StopSignal } : {}),
        exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      },
    };
    this.cache.set(img.target.digest, resolved);
    return resolved;
  }

  /** Groups containerd image records (one per name) into CRI images (one per config digest). */
  async infos(images: ImageRecord[]): Promise<ImageInfo[]> {
    const byId = new Map<string, ImageInfo>();
    for (const img of images) {
      let r: Resolved;
      try {
        r = await this.resolve(img);
      } catch {
        continue; // content missing (partially imported): not a usable image
      }
      const info = byId.get(r.configDigest) ?? { id: r.configDigest, repoTags: [], repoDigests: [], sizeBytes: r.size };
      if (img.name.startsWith('sha256:')) { /* id-only record */ } else if (img.name.includes('@')) {
        info.repoDigests.push(img.name);
      } else {
        info.repoTags.push(img.name);
        const repo = img.name.slice(0, img.name.lastIndexOf(':') > img.name.lastIndexOf('/') ? img.name.lastIndexOf(':') : img.name.length);
        const dig = `${repo}@${img.target.digest}`;
        if (!info.repoDigests.includes(dig)) info.repoDigests.push(dig);
      }
      byId.set(r.configDigest, info);
    }
    return [...byId.values()];
  }
}
