// Pod volumes on the node, under `<root-dir>/pods/<uid>/volumes/<plugin>/<volume name>` (the
// layout upstream uses: kubernetes.io~empty-dir, kubernetes.io~configmap, kubernetes.io~secret),
// plus the mounts each container gets from its volumeMounts.
//
// Contract:
// - setUpVolumes() is idempotent and is called on every pod sync: emptyDir directories are
//   created once and keep their content across container restarts; configMap/secret volumes
//   are (re)written from the current API object (file per key or per `items` entry, mode from
//   item.mode / defaultMode, stale files removed) so updates propagate on the next sync;
//   hostPath honours `type` (DirectoryOrCreate / FileOrCreate create, Directory / File /
//   Socket check, '' checks nothing).
// - A missing non-optional ConfigMap/Secret, or a missing key named in `items`, throws
//   VolumeError (→ FailedMount event; the pod stays ContainerCreating and is retried).
// - configMap/secret mounts are read-only; subPath mounts resolve below the volume.
// Not handled: persistentVolumeClaim and every other network/cloud volume type (VolumeError
// "unsupported volume type"), projected serviceAccountToken, sizeLimit enforcement.
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { KubeObject } from '@k8ts/shared';
import type { Mount } from '../runtime/types.js';
import { dataOf, fieldValue, type ConfigSource, type EnvContext } from './env.js';

export class VolumeError extends Error {
  constructor(readonly volume: string, message: string) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = 'VolumeError';
  }
}

type Rec = Record<string, any>;

export function podDir(rootDir: string, uid: string): string { return join(rootDir, 'pods', uid); }

/** Host paths of the pod's volumes, by volume name. */
export type VolumePaths = Map<string, { path: string; readOnly: boolean }>;

export async function setUpVolumes(rootDir: string, pod: KubeObject, src: ConfigSource, ctx: EnvContext): Promise<VolumePaths> {
  const uid = pod.metadata.uid!;
  const ns = pod.metadata.namespace ?? 'default';
  const base = join(podDir(rootDir, uid), 'volumes');
  const out: VolumePaths = new Map();
  for (const v of (pod.spec?.volumes ?? []) as Rec[]) {
    const name: string = v.name;
    if (v.emptyDir) {
      const p = join(base, 'kubernetes.io~empty-dir', name);
      await mkdir(p, { recursive: true, mode: 0o777 });
      await chmod(p, 0o777);
      out.set(name, { path: p, readOnly: false });
    } else if (v.configMap || v.secret) {
      const isSecret = !!v.secret;
      const spec: Rec = v.configMap ?? v.secret;
      const objName: string = isSecret ? spec.secretName : spec.name;
      const p = join(base, isSecret ? 'kubernetes.io~secret' : 'kubernetes.io~configmap', name);
      const obj = isSecret ? await src.getSecret(ns, objName) : await src.getConfigMap(ns, objName);
      if (!obj && spec.optional !== true) throw new VolumeError(name, `${isSecret ? 'secret' : 'configmap'} "${objName}" not found`);
      const data = obj ? dataOf(obj, isSecret) : {};
      const files = new Map<string, { content: string; mode: number }>();
      const defaultMode: number = typeof spec.defaultMode === 'number' ? spec.defaultMode : 0o644;
      if (Array.isArray(spec.items) && spec.items.length > 0) {
        for (const item of spec.items as Rec[]) {
          if (!(item.key in data)) {
            if (spec.optional === true) continue;
            throw new VolumeError(name, `${isSecret ? 'secret' : 'configmap'} references non-existent ${isSecret ? 'secret' : 'config'} key: ${item.key}`);
          }
          files.set(safeRel(name, item.path), { content: data[item.key]!, mode: typeof item.mode === 'number' ? item.mode : defaultMode });
        }
      } else {
        for (const [k, val] of Object.entries(data)) files.set(safeRel(name, k), { content: val, mode: defaultMode });
      }
      await writeFiles(p, files);
      out.set(name, { path: p, readOnly: true });
    } else if (v.downwardAPI) {
      const p = join(base, 'kubernetes.io~downward-api', name);
      const files = new Map<string, { content: string; mode: number }>();
      const defaultMode: number = typeof v.downwardAPI.defaultMode === 'number' ? v.downwardAPI.defaultMode : 0o644;
      for (const item of (v.downwardAPI.items ?? []) as Rec[]) {
        if (!item.fieldRef) continue;
        files.set(safeRel(name, item.path), { content: fieldValue(String(item.fieldRef.fieldPath), ctx), mode: typeof item.mode === 'number' ? item.mode : defaultMode });
      }
      await writeFiles(p, files);
      out.set(name, { path: p, readOnly: true });
    } else if (v.hostPath) {
      const p: string = v.hostPath.path;
      await checkHostPath(name, p, v.hostPath.type ?? '');
      out.set(name, { path: p, readOnly: false });
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new VolumeError(name, `unsupported volume type ${kind}`);
    }
  }
  return out;
}

/** Mounts for one container from its volumeMounts; unknown volume names throw VolumeError. */
export function containerMounts(container: Rec, volumes: VolumePaths): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of (container.volumeMounts ?? []) as Rec[]) {
    const vol = volumes.get(vm.name);
    if (!vol) throw new VolumeError(vm.name, `volume "${vm.name}" is not set up`);
    const hostPath = vm.subPath ? join(vol.path, safeRel(vm.name, vm.subPath)) : vol.path;
    mounts.push({ hostPath, containerPath: vm.mountPath, readOnly: vol.readOnly || vm.readOnly === true });
  }
  return mounts;
}

/** Creates subPath targets as directories (upstream creates missing subPaths). */
export async function ensureSubPaths(mounts: Mount[]): Promise<void> {
  for (const m of mounts) {
    try { await stat(m.hostPath); } catch { await mkdir(m.hostPath, { recursive: true }); }
  }
}

export async function tearDownPodDir(rootDir: string, uid: string): Promise<void> {
  await rm(podDir(rootDir, uid), { recursive: true, force: true });
}

function safeRel(volume: string, p: string): string {
  const n = normalize(String(p));
  if (n.startsWith('..') || n.startsWith('/')) throw new VolumeError(volume, `invalid path ${JSON.stringify(p)}`);
  return n;
}

async function writeFiles(dir: string, files: Map<string, { content: string; mode: number }>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [rel, f] of files) {
    const target = join(dir, rel);
    await mkdir(dirname(target), { recursive: true });
    let same = false;
    try { same = (await readFile(target, 'utf8')) === f.content; } catch { /* absent */ }
    if (!same) await writeFile(target, f.content);
    await chmod(target, f.mode & 0o777);
  }
  // remove files that are no longer projected (top level only: nested dirs are rewritten)
  const keepTop = new Set([...files.keys()].map((r) => r.split('/')[0]));
  for (const e of await readdir(dir)) if (!keepTop.has(e)) await rm(join(dir, e), { recursive: true, force: true });
}

async function checkHostPath(volume: string, p: string, type: string): Promise<void> {
  const st = await stat(p).catch(() => undefined);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!st) await mkdir(p, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) throw new VolumeError(volume, `hostPath type check failed: ${p} is not a directory`);
      return;
    case 'Directory':
      if (!st?.isDirectory()) throw new VolumeError(volume, `hostPath type check failed: ${p} is not a directory`);
      return;
    case 'FileOrCreate':
      if (!st) { await mkdir(dirname(p), { recursive: true }); await writeFile(p, '', { mode: 0o644 }); } else if (!st.isFile()) throw new VolumeError(volume, `hostPath type check failed: ${p} is not a file`);
      return;
    case 'File':
      if (!st?.isFile()) throw new VolumeError(volume, `hostPath type check failed: ${p} is not a file`);
      return;
    case 'Socket':
      if (!st?.isSocket()) throw new VolumeError(volume, `hostPath type check failed: ${p} is not a socket file`);
      return;
    default:
      return;
  }
}
