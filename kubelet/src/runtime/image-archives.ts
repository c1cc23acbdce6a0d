// Image archives as a node's registry (`--image-archive-dir DIR`). No image registry is
// reachable from a k8ts cluster, so a node can be given a directory of OCI / docker-archive
// tarballs (the Compose nodes get the host's `.k8ts/images/*.tar`) instead of having them
// imported before the kubelet starts. The node then registers and turns Ready at once, and
// the images arrive in the background.
//
// Contract:
// - `serveImageArchives(rt, dir, log, { delayMs })` schedules the preload: every `DIR/*.tar`, in
//   name order, one at a time, through `rt.importImage` (an image already present costs only a
//   content check). It starts after `delayMs` (default 0), or at once when a pull needs it: the
//   kubelet passes a few seconds so that unpacking does not compete with the node's first
//   status reports. A failing archive is logged and skipped; the preload never throws.
// - It wraps `rt.pullImage`: an image present locally is returned as is; an absent one while
//   the preload runs waits for the preload to finish and looks again; still absent → the
//   runtime's own pullImage (ErrImagePull with its message). So a pod that arrives while the
//   images are still being imported waits for them instead of failing.
// - Not handled: archives added to DIR after the preload (use `k8ts image load`), and pull
//   of a specific archive on demand (the preload is short: two images here).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerRuntime, ImageInfo } from './types.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ImageArchives {
  /** Settles when every archive has been tried. */
  readonly preloaded: Promise<void>;
}

export function serveImageArchives(rt: ContainerRuntime, dir: string, log: Log, opts: { delayMs?: number } = {}): ImageArchives {
  let startNow!: () => void;
  const go = new Promise<void>((r) => { startNow = r; });
  const delayMs = opts.delayMs ?? 0;
  const timer = setTimeout(startNow, delayMs);
  // a delayed preload must not keep a stopping process alive; a preload due at once must run
  // (an unref'd timer could let the event loop end first with `preloaded` still pending)
  if (delayMs > 0) timer.unref?.();
  const preloaded = go.then(() => { clearTimeout(timer); return preload(rt, dir, log); });
  let done = false;
  void preloaded.then(() => { done = true; });
  const pull = rt.pullImage.bind(rt);
  rt.pullImage = async (ref: string): Promise<ImageInfo> => {
    const have = await rt.imageStatus(ref);
    if (have) return have;
    if (!done) {
      startNow();
      await preloaded;
      const now = await rt.imageStatus(ref);
      if (now) return now;
    }
    return pull(ref);
  };
  return { preloaded };
}

async function preload(rt: ContainerRuntime, dir: string, log: Log): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.tar')).sort();
  } catch (err) {
    log.warn({ dir, err: (err as Error).message }, 'image archive directory unreadable; no images preloaded');
    return;
  }
  for (const n of names) {
    const started = Date.now();
    try {
      const images = await rt.importImage(join(dir, n));
      log.info({ archive: n, images: images.map((i) => i.repoTags[0] ?? i.id), ms: Date.now() - started }, 'image archive imported');
    } catch (err) {
      log.warn({ archive: n, err: (err as Error).message }, 'image archive import failed');
    }
  }
}
