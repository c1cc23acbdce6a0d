// Unit-test helpers: PodInfo and NodeInfo built straight from objects, no API involved.
import type { KubeObject } from '@k8ts/shared';
import { NodeInfo } from '../cache/node-info.js';
import { newPodInfo, type PodInfo } from '../framework/pod-info.js';
import { nodeObject, podObject, type NodeSpecOpts, type PodSpecOpts } from './objects.js';

let uid = 0;

export function podInfo(o: PodSpecOpts & { spec?: Record<string, unknown>; name?: string } = {}): PodInfo {
  const pod: KubeObject = podObject(o.name ?? `pod-${++uid}`, o);
  pod.metadata.uid = `uid-${++uid}`;
  if (o.spec) pod.spec = { ...pod.spec, ...o.spec };
  return newPodInfo(pod);
}

export function nodeInfo(name: string, o: NodeSpecOpts = {}, pods: PodInfo[] = []): NodeInfo {
  const ni = new NodeInfo(name);
  ni.setNode(nodeObject(name, o));
  for (const p of pods) ni.addPod(p);
  return ni;
}
