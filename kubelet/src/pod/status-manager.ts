// Writes pod status to the API only when it changed (upstream status manager).
//
// Contract:
// - set(pod, status) compares `status` with the last status written for that uid and with the
//   pod's current status from the watch; equal → no request. Otherwise one JSON patch on
//   pods/<name>/status: `test /metadata/uid` (never write into a recreated namesake) and
//   `replace /status` with the full status (a JSON patch replaces, so states such as
//   waiting → running never merge into each other).
// - 404 / 409 / 422 (pod gone or recreated) are ignored; other errors throw (the worker retries).
// - isLastWritten(pod): the pod's status is the one last written (the echo of our own write).
// - forget(uid) drops the cache when the pod goes away.
import { isStatusError, Resources, type ApiClient, type KubeObject, type Logger } from '@k8ts/shared';

type Rec = Record<string, any>;

export class StatusManager {
  private readonly written = new Map<string, string>();

  constructor(private readonly client: Pick<ApiClient, 'patch'>, private readonly log: Logger) {}

  async set(pod: KubeObject, status: Rec): Promise<boolean> {
    const uid = pod.metadata.uid!;
    const next = JSON.stringify(status);
    if (this.written.get(uid) === next) return false;
    if (JSON.stringify(pod.status ?? {}) === next) { this.written.set(uid, next); return false; }
    try {
      await this.client.patch(Resources.pods, pod.metadata.namespace, pod.metadata.name!, [
        { op: 'test', path: '/metadata/uid', value: uid },
        { op: 'replace', path: '/status', value: status },
      ], 'json', 'status');
      this.written.set(uid, next);
      return true;
    } catch (e) {
      if (isStatusError(e) && [404, 409, 422].includes(e.status.code ?? 0)) {
        this.log.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, code: e.status.code }, 'status not written: pod gone or changed');
        return false;
      }
      throw e;
    }
  }

  /** Whether the pod carries exactly the status this manager last wrote (or found) for it. */
  isLastWritten(pod: KubeObject): boolean {
    const w = this.written.get(pod.metadata.uid!);
    return w !== undefined && w === JSON.stringify(pod.status ?? {});
  }

  forget(uid: string): void { this.written.delete(uid); }
}
