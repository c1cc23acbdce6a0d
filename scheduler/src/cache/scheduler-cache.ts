// The scheduler's cache (upstream's internal/cache): nodes, and the pods placed on them —
// bound pods seen by the informer and pods ASSUMED by the scheduler before its bind call
// returned, so the next scheduling decision already accounts for them.
//
// Pod states: assumed (assumePod) → binding finished (finishBinding) → confirmed when the
// informer reports the bound pod (addPod/updatePod, which replace the assumed copy, moving it
// if the informer says another node). forgetPod undoes an assumption after a failed bind.
// A pod deleted by the informer is removed whatever its state.
// Pods are keyed by namespace/name; a pod recreated under the same name (new uid) replaces the
// old one's entry when it is assumed or reported (hasPodInstance tells the two apart).
// Not handled: expiring assumed pods whose bind succeeded but whose add never arrives
// (upstream's TTL; 0 by default there too).
import { objectKey, type KubeObject } from '@k8ts/shared';
import { newPodInfo, type PodInfo } from '../framework/pod-info.js';
import { NodeInfo } from './node-info.js';

interface PodState { info: PodInfo; node: string; assumed: boolean; bindingFinished: boolean }

export class SchedulerCache {
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private list: NodeInfo[] = [];
  private listDirty = false;

  // ---- nodes -------------------------------------------------------------------------------

  addOrUpdateNode(node: KubeObject): NodeInfo {
    const name = node.metadata.name!;
    let ni = this.nodeInfos.get(name);
    if (!ni) this.nodeInfos.set(name, ni = new NodeInfo(name));
    if (!ni.node) this.listDirty = true;
    ni.setNode(node);
    return ni;
  }

  removeNode(name: string): void {
    const ni = this.nodeInfos.get(name);
    if (!ni) return;
    ni.clearNode();
    if (ni.pods.size === 0) this.nodeInfos.delete(name);
    this.listDirty = true;
  }

  /** The nodes that exist, in a stable order (insertion). Do not mutate. */
  nodeList(): readonly NodeInfo[] {
    if (this.listDirty) {
      this.list = [...this.nodeInfos.values()].filter((n) => n.node);
      this.listDirty = false;
    }
    return this.list;
  }

  nodeInfo(name: string): NodeInfo | undefined { return this.nodeInfos.get(name); }

  // ---- pods --------------------------------------------------------------------------------

  /** Places `info` on `node` before binding. */
  assumePod(info: PodInfo, node: string): void {
    const old = this.podStates.get(info.key);
    if (old) this.detach(old);
    const st: PodState = { info, node, assumed: true, bindingFinished: false };
    this.podStates.set(info.key, st);
    this.attach(st);
  }

  finishBinding(key: string): void {
    const st = this.podStates.get(key);
    if (st?.assumed) st.bindingFinished = true;
  }

  /** Undoes assumePod (bind failed). A pod already confirmed by the informer stays. */
  forgetPod(key: string): void {
    const st = this.podStates.get(key);
    if (!st || !st.assumed) return;
    this.detach(st);
    this.podStates.delete(key);
  }

  isAssumed(key: string): boolean { return this.podStates.get(key)?.assumed === true; }

  /** Known to the cache at all (assumed or bound). */
  hasPod(key: string): boolean { return this.podStates.has(key); }

  podNode(key: string): string | undefined { return this.podStates.get(key)?.node; }

  /** True when the cache holds this very pod (same key and uid), assumed or bound. */
  hasPodInstance(pod: KubeObject): boolean {
    const st = this.podStates.get(objectKey(pod));
    return !!st && st.info.uid === (pod.metadata.uid ?? '');
  }

  /** A bound pod from the informer (add or update): confirms an assumed copy. */
  addOrUpdatePod(pod: KubeObject): void {
    const node = pod.spec?.nodeName as string | undefined;
    if (!node) return;
    const info = newPodInfo(pod);
    const old = this.podStates.get(info.key);
    if (old) this.detach(old);
    const st: PodState = { info, node, assumed: false, bindingFinished: true };
    this.podStates.set(info.key, st);
    this.attach(st);
  }

  removePod(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.detach(st);
    this.podStates.delete(key);
  }

  podCount(): number { return this.podStates.size; }

  private attach(st: PodState): void {
    let ni = this.nodeInfos.get(st.node);
    if (!ni) this.nodeInfos.set(st.node, ni = new NodeInfo(st.node));
    ni.addPod(st.info);
  }

  private detach(st: PodState): void {
    const ni = this.nodeInfos.get(st.node);
    if (!ni) return;
    ni.removePod(st.info.key);
    if (!ni.node && ni.pods.size === 0) this.nodeInfos.delete(st.node);
  }
}
