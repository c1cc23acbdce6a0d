// A pod's resource requests as upstream's resourcehelper.PodRequests computes them:
//   sum(containers) + sum(restartable init containers), raised to the largest
//   "init container + the sidecars started before it", plus spec.overhead.
// cpu is in millicores (ceil, like MilliValue), everything else in base units (ceil, Value).
// `nonZero` is the variant the scores use: a container that requests no cpu / memory counts
// as 100m / 200Mi (upstream's DefaultMilliCPURequest / DefaultMemoryRequest).
// Throws PodSpecError on a quantity that does not parse (the apiserver normally rejects those).
import { parseQuantity } from '@k8ts/shared/quantity';

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class PodSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodSpecError';
  }
}

/** Resource amounts: cpu in millicores, memory and the rest in base units. */
export type ResourceList = Map<string, number>;

export interface PodRequests {
  milliCPU: number;
  memory: number;
  /** ephemeral-storage and extended resources (anything but cpu/memory/pods), > 0 only. */
  scalar: ResourceList;
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
}

interface Container { requests?: Record<string, unknown>; restartPolicy?: string }

/** cpu: MilliValue; anything else: Value (rounded up), from shared's exact milli-unit parser. */
function scaled(value: unknown, cpu: boolean): number | undefined {
  const milli = parseQuantity(value);
  if (milli === undefined) return undefined;
  if (cpu) return Number(milli);
  return Number(milli >= 0n ? (milli + 999n) / 1000n : milli / 1000n);
}

// Pods of one workload repeat the same few quantity strings: memoize (bounded).
const memo = new Map<string, number>();
const MEMO_MAX = 4096;

export function quantityFor(resource: string, value: unknown): number {
  const cpu = resource === 'cpu';
  if (typeof value === 'string') {
    const k = cpu ? `c${value}` : `o${value}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    const n = scaled(value, cpu);
    if (n === undefined) throw new PodSpecError(`invalid quantity ${JSON.stringify(value)} for resource ${JSON.stringify(resource)}`);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(k, n);
    return n;
  }
  const n = scaled(value, cpu);
  if (n === undefined) throw new PodSpecError(`invalid quantity ${JSON.stringify(value)} for resource ${JSON.stringify(resource)}`);
  return n;
}

/** Parses a requests/allocatable map; the special `pods` key is kept as is. */
export function parseResourceList(map: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!map || typeof map !== 'object') return out;
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) out.set(k, quantityFor(k, v));
  return out;
}

function add(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function max(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

function requestsOf(c: Container, nonZero: boolean): ResourceList {
  const r = parseResourceList((c as { resources?: { requests?: unknown } }).resources?.requests);
  if (nonZero) {
    if (!r.get('cpu')) r.set('cpu', DEFAULT_MILLI_CPU_REQUEST);
    if (!r.get('memory')) r.set('memory', DEFAULT_MEMORY_REQUEST);
  }
  return r;
}

function podRequestList(spec: Record<string, unknown>, nonZero: boolean): ResourceList {
  const reqs: ResourceList = new Map();
  for (const c of (spec.containers as Container[] | undefined) ?? []) add(reqs, requestsOf(c, nonZero));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of (spec.initContainers as Container[] | undefined) ?? []) {
    const r = requestsOf(c, nonZero);
    if (c.restartPolicy === 'Always') {
      add(reqs, r);
      add(sidecars, r);
      max(initMax, sidecars);
    } else {
      const tmp = new Map(r);
      add(tmp, sidecars);
      max(initMax, tmp);
    }
  }
  max(reqs, initMax);
  if (spec.overhead) add(reqs, parseResourceList(spec.overhead));
  return reqs;
}

export function computePodRequests(pod: { spec?: Record<string, unknown> }): PodRequests {
  const spec = pod.spec ?? {};
  const reqs = podRequestList(spec, false);
  const nz = podRequestList(spec, true);
  const scalar: ResourceList = new Map();
  for (const [k, v] of reqs) if (k !== 'cpu' && k !== 'memory' && k !== 'pods' && v > 0) scalar.set(k, v);
  return {
    milliCPU: reqs.get('cpu') ?? 0,
    memory: reqs.get('memory') ?? 0,
    scalar,
    nonZeroMilliCPU: nz.get('cpu') ?? 0,
    nonZeroMemory: nz.get('memory') ?? 0,
  };
}
