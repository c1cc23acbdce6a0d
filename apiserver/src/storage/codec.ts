// Objects as stored in etcd: JSON without metadata.resourceVersion (the key's mod_revision is
// the resourceVersion, set on every read). Decoding never trusts what is stored to carry
// kind/apiVersion: they are set from the resource definition.
import type { KubeObject } from '@k8ts/shared';
import type { KV } from './etcd.js';

export function encode(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return Buffer.from(JSON.stringify({ ...obj, metadata: meta }));
}

export function decode(value: Buffer | string, resourceVersion: string, kind: string, apiVersion: string): KubeObject {
  const obj = JSON.parse(value.toString()) as KubeObject;
  obj.kind = kind;
  obj.apiVersion = apiVersion;
  obj.metadata = { ...obj.metadata, resourceVersion };
  return obj;
}

export function decodeKV(kv: KV, kind: string, apiVersion: string): KubeObject {
  return decode(kv.value, kv.mod_revision, kind, apiVersion);
}
