// A container's environment, computed as upstream's kubelet does (makeEnvironmentVariables):
//   1. service links: for every Service of the pod's namespace (enableServiceLinks, default
//      true) and always for `kubernetes` in `default`: FOO_SERVICE_HOST / _PORT / _PORT_<name>
//      and the docker-links style FOO_PORT, FOO_PORT_80_TCP, ..._PROTO, ..._PORT, ..._ADDR;
//   2. envFrom (configMapRef / secretRef, with prefix; keys that are not valid env names are
//      skipped and reported); a missing non-optional source is an error;
//   3. env in order: value with $(VAR) expanded against everything defined so far;
//      valueFrom configMapKeyRef / secretKeyRef (optional honoured for a missing object or
//      key), fieldRef (metadata.name|namespace|uid, labels/annotations['k'], spec.nodeName,
//      spec.serviceAccountName, status.podIP(s), status.hostIP(s)), resourceFieldRef
//      (limits/requests cpu|memory with divisor; a missing limit falls back to node allocatable).
// Later definitions of a name win (env over envFrom over service links).
// Errors are ContainerConfigError (→ waiting reason CreateContainerConfigError) with upstream's
// messages (`configmap "x" not found`, `couldn't find key K in ConfigMap ns/x`).
import type { KubeObject } from '@k8ts/shared';
import { expand } from './expansion.js';
import { ceilDiv, milliOf } from './quantity.js';

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface ConfigSource {
  /** The object, or undefined when it does not exist (other errors throw). */
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Services of a namespace (for service links). */
  listServices(namespace: string): Promise<KubeObject[]>;
}

export interface EnvContext {
  pod: KubeObject;
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
  nodeAllocatable: { cpu: number; memoryBytes: number };
}

type Rec = Record<string, any>;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export interface EnvResult {
  env: { name: string; value: string }[];
  /** Keys skipped from envFrom because they are not valid variable names. */
  invalidNames: string[];
}

export async function makeEnvironment(container: Rec, ctx: EnvContext, src: ConfigSource): Promise<EnvResult> {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const vars = new Map<string, string>();
  const invalidNames: string[] = [];

  for (const [k, v] of await serviceEnv(ctx.pod, src)) vars.set(k, v);

  for (const from of (container.envFrom ?? []) as Rec[]) {
    const prefix: string = from.prefix ?? '';
    const ref: Rec | undefined = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const isSecret = !!from.secretRef;
    const obj = isSecret ? await src.getSecret(ns, ref.name) : await src.getConfigMap(ns, ref.name);
    if (!obj) {
      if (ref.optional === true) continue;
      throw new ContainerConfigError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(dataOf(obj, isSecret))) {
      const name = prefix + k;
      if (!ENV_NAME.test(name)) { invalidNames.push(name); continue; }
      vars.set(name, v);
    }
  }

  const lookup = (name: string): string | undefined => vars.get(name);
  for (const e of (container.env ?? []) as Rec[]) {
    const name: string = e.name;
    if (!e.valueFrom) {
      vars.set(name, expand(String(e.value ?? ''), lookup));
      continue;
    }
    const from: Rec = e.valueFrom;
    if (from.configMapKeyRef || from.secretKeyRef) {
      const isSecret = !!from.secretKeyRef;
      const ref: Rec = from.configMapKeyRef ?? from.secretKeyRef;
      const obj = isSecret ? await src.getSecret(ns, ref.name) : await src.getConfigMap(ns, ref.name);
      if (!obj) {
        if (ref.optional === true) continue;
        throw new ContainerConfigError(`${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found`);
      }
      const data = dataOf(obj, isSecret);
      if (!(ref.key in data)) {
        if (ref.optional === true) continue;
        throw new ContainerConfigError(`couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}`);
      }
      vars.set(name, data[ref.key]!);
    } else if (from.fieldRef) {
      vars.set(name, fieldValue(String(from.fieldRef.fieldPath ?? ''), ctx));
    } else if (from.resourceFieldRef) {
      vars.set(name, resourceValue(from.resourceFieldRef, container, ctx));
    }
  }
  return { env: [...vars].map(([n, v]) => ({ name: n, value: v })), invalidNames };
}

/** ConfigMap data + binaryData (base64-decoded), or Secret data (base64-decoded) + stringData. */
export function dataOf(obj: KubeObject, isSecret: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (isSecret) {
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
    for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) out[k] = v;
  } else {
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) out[k] = v;
  }
  return out;
}

export function fieldValue(path: string, ctx: EnvContext): string {
  const pod = ctx.pod;
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return String(((pod.metadata[m[1]!] ?? {}) as Record<string, string>)[m[2]!] ?? '');
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return formatMap(pod.metadata.labels);
    case 'metadata.annotations': return formatMap(pod.metadata.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': return ctx.hostIP ?? '';
    case 'status.hostIPs': return ctx.hostIP ?? '';
    case 'status.podIP': return ctx.podIP ?? '';
    case 'status.podIPs': return (ctx.podIPs ?? (ctx.podIP ? [ctx.podIP] : [])).join(',');
    default: throw new ContainerConfigError(`unsupported fieldRef fieldPath "${path}"`);
  }
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}="${m![k]}"`).join('\n');
}

function resourceValue(ref: Rec, container: Rec, ctx: EnvContext): string {
  const resource: string = ref.resource ?? '';
  const [kind, what] = resource.split('.') as [string, string];
  const res: Rec = container.resources ?? {};
  const pool: Rec = (kind === 'limits' ? res.limits : res.requests) ?? {};
  // exact milli-units: value / divisor, rounded up (the node's allocatable when no limit is set)
  const d = milliOf(ref.divisor ?? '1');
  const divisor = d !== undefined && d > 0n ? d : 1000n;
  if (what === 'cpu') {
    const value = milliOf(pool.cpu) ?? (kind === 'limits' ? BigInt(Math.round(ctx.nodeAllocatable.cpu * 1000)) : 0n);
    const n = ceilDiv(value, divisor);
    return String(n < 1n && (kind === 'limits' || value > 0n) ? 1n : n);
  }
  if (what === 'memory' || what === 'ephemeral-storage') {
    const value = milliOf(pool[what]) ?? (kind === 'limits' ? BigInt(ctx.nodeAllocatable.memoryBytes) * 1000n : 0n);
    return String(ceilDiv(value, divisor));
  }
  throw new ContainerConfigError(`unsupported resourceFieldRef resource "${resource}"`);
}

async function serviceEnv(pod: KubeObject, src: ConfigSource): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ns = pod.metadata.namespace ?? 'default';
  const services: KubeObject[] = [];
  try {
    if (pod.spec?.enableServiceLinks !== false) services.push(...(await src.listServices(ns)));
    if (ns !== 'default' || pod.spec?.enableServiceLinks === false) {
      const def = await src.listServices('default');
      services.push(...def.filter((s) => s.metadata.name === 'kubernetes'));
    }
  } catch {
    return out; // service links are best effort: an unreachable list must not block the pod
  }
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const ports = (svc.spec?.ports ?? []) as Rec[];
    if (ports.length === 0) continue;
    const prefix = String(svc.metadata.name).toUpperCase().replace(/-/g, '_');
    out.set(`${prefix}_SERVICE_HOST`, ip);
    out.set(`${prefix}_SERVICE_PORT`, String(ports[0]!.port));
    for (const p of ports) if (p.name) out.set(`${prefix}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`, String(p.port));
    const first = ports[0]!;
    out.set(`${prefix}_PORT`, `${String(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`);
    for (const p of ports) {
      const proto = String(p.protocol ?? 'TCP');
      const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
      out.set(base, `${proto.toLowerCase()}://${ip}:${p.port}`);
      out.set(`${base}_PROTO`, proto.toLowerCase());
      out.set(`${base}_PORT`, String(p.port));
      out.set(`${base}_ADDR`, ip);
    }
  }
  return out;
}
