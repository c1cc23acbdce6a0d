// Quota evaluators (upstream pkg/quota/v1/evaluator/core + generic): for a kind of object,
// which quota resource names it can consume, how much one object consumes (usage), which
// quota scopes it falls into, and the pod-only "must specify requests/limits" constraint.
// Shared by the apiserver's ResourceQuota admission and the controller-manager's quota
// controller so that both count exactly alike.
//
// Resources are named as upstream names them in messages: `pods`, `services`,
// `deployments.apps` (plural[.group]). Every resource can be counted with
// `count/<plural>[.<group>]`; the legacy names `pods`, `services`, `configmaps`, `secrets`,
// `replicationcontrollers`, `resourcequotas`, `persistentvolumeclaims` count too.
//
// Not handled: persistentvolumeclaims storage usage (k8ts has no PVCs), pod overhead beyond
// spec.overhead, CrossNamespacePodAffinity scope (never matches), in-place pod resize.
import type { KubeObject } from '../api/meta.js';
import { toQuantity } from '../quantity.js';
import { addResources, maxResources, quantityOf, type ResourceList } from './resource-list.js';

export interface ScopeRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface QuotaEvaluator {
  /** plural[.group] */
  readonly resource: string;
  /** Whether updates can change usage (services: type and ports; others: create only). */
  readonly handlesUpdate: boolean;
  /** The subset of `names` this kind consumes. */
  matchingResources(names: string[]): string[];
  /** Whether `obj` falls into one scope requirement. */
  matchesScope(req: ScopeRequirement, obj: KubeObject): boolean;
  /** What one object consumes. `now` decides whether a terminating pod still counts. */
  usage(obj: KubeObject, now: number): ResourceList;
  /** An error text ("must specify ...") when the object cannot be charged against `required`. */
  constraints(required: string[], obj: KubeObject): string | undefined;
}

const LEGACY_COUNT = new Set(['pods', 'services', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims']);

type Rec = Record<string, any>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? v as Rec : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? v.map(rec) : []);

function parseList(raw: unknown): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(rec(raw))) {
    const q = toQuantity(v);
    if (q) out[k] = q;
  }
  return out;
}

// ---------------------------------------------------------------- object count (generic)

class ObjectCountEvaluator implements QuotaEvaluator {
  readonly handlesUpdate: boolean = false;
  private readonly names: Set<string>;
  constructor(readonly resource: string) {
    this.names = new Set([`count/${resource}`]);
    if (LEGACY_COUNT.has(resource)) this.names.add(resource);
  }
  matchingResources(names: string[]): string[] { return names.filter((n) => this.names.has(n)); }
  /** upstream MatchesNoScopeFunc: scoped quotas only ever concern pods */
  matchesScope(_req: ScopeRequirement, _obj: KubeObject): boolean { return false; }
  usage(_obj: KubeObject, _now: number): ResourceList {
    const out: ResourceList = {};
    for (const n of this.names) out[n] = quantityOf(1);
    return out;
  }
  constraints(_required: string[], _obj: KubeObject): string | undefined { return undefined; }
}

// ---------------------------------------------------------------- services

class ServiceEvaluator extends ObjectCountEvaluator {
  override readonly handlesUpdate = true;
  constructor() { super('services'); }
  override matchingResources(names: string[]): string[] {
    return names.filter((n) => n === 'services' || n === 'count/services' || n === 'services.nodeports' || n === 'services.loadbalancers');
  }
  override usage(svc: KubeObject, _now: number): ResourceList {
    const spec = rec(svc.spec);
    const ports = arr(spec.ports);
    const out: ResourceList = {
      'count/services': quantityOf(1), services: quantityOf(1),
      'services.loadbalancers': quantityOf(0), 'services.nodeports': quantityOf(0),
    };
    if (spec.type === 'NodePort') out['services.nodeports'] = quantityOf(ports.length);
    if (spec.type === 'LoadBalancer') {
      const allocate = spec.allocateLoadBalancerNodePorts !== false;
      out['services.nodeports'] = quantityOf(allocate ? ports.length : ports.filter((p) => p.nodePort).length);
      out['services.loadbalancers'] = quantityOf(1);
    }
    return out;
  }
}

// ---------------------------------------------------------------- pods

const POD_RESOURCES = new Set([
  'pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
/** BACKWARD COMPATIBILITY (upstream): quotas on these require every container to state them. */
const VALIDATION_SET = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

/** upstream podComputeUsageHelper: container requests/limits → quota resource names (with pods=1). */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: quantityOf(1) };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r]) { out[r] = requests[r]!; out[`requests.${r}`] = requests[r]!; }
    if (limits[r]) out[`limits.${r}`] = limits[r]!;
  }
  for (const [k, q] of Object.entries(requests)) {
    if (k.startsWith('hugepages-')) { out[k] = q; out[`requests.${k}`] = q; }
    else if (isExtended(k)) out[`requests.${k}`] = q;
  }
  return out;
}

/** upstream QuotaV1Pod: terminal pods, and pods past their deletion grace period, consume nothing but count/pods. */
export function podCountsForQuota(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const ts = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (ts && typeof grace === 'number') {
    const at = Date.parse(ts);
    if (Number.isFinite(at) && now > at + grace * 1000) return false;
  }
  return true;
}

export function isBestEffortPod(pod: KubeObject): boolean {
  const spec = rec(pod.spec);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
    const res = rec(c.resources);
    for (const list of [res.requests, res.limits]) {
      for (const [k, v] of Object.entries(rec(list))) {
        if ((k === 'cpu' || k === 'memory') && (toQuantity(v)?.milli ?? 0n) > 0n) return false;
      }
    }
  }
  return true;
}

function isTerminatingPod(pod: KubeObject): boolean {
  const ads = rec(pod.spec).activeDeadlineSeconds;
  return typeof ads === 'number' && ads >= 0;
}

class PodEvaluator implements QuotaEvaluator {
  readonly resource = 'pods';
  readonly handlesUpdate = false;
  matchingResources(names: string[]): string[] {
    return names.filter((n) => POD_RESOURCES.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-')
      || (n.startsWith('requests.') && isExtended(n.slice('requests.'.length))));
  }
  matchesScope(req: ScopeRequirement, pod: KubeObject): boolean {
    switch (req.scopeName) {
      case 'Terminating': return isTerminatingPod(pod);
      case 'NotTerminating': return !isTerminatingPod(pod);
      case 'BestEffort': return isBestEffortPod(pod);
      case 'NotBestEffort': return !isBestEffortPod(pod);
      case 'PriorityClass': {
        const pc = String(rec(pod.spec).priorityClassName ?? '');
        const values = req.values ?? [];
        switch (req.operator) {
          case 'Exists': return pc !== '';
          case 'DoesNotExist': return pc === '';
          case 'In': return values.includes(pc);
          case 'NotIn': return !values.includes(pc);
          default: return false;
        }
      }
      default: return false; // CrossNamespacePodAffinity: not supported
    }
  }
  usage(pod: KubeObject, now: number): ResourceList {
    const out: ResourceList = { 'count/pods': quantityOf(1) };
    if (!podCountsForQuota(pod, now)) return out;
    const spec = rec(pod.spec);
    let requests: ResourceList = {};
    let limits: ResourceList = {};
    for (const c of arr(spec.containers)) {
      requests = addResources(requests, parseList(rec(c.resources).requests));
      limits = addResources(limits, parseList(rec(c.resources).limits));
    }
    for (const c of arr(spec.initContainers)) {
      requests = maxResources(requests, parseList(rec(c.resources).requests));
      limits = maxResources(limits, parseList(rec(c.resources).limits));
    }
    requests = addResources(requests, parseList(spec.overhead));
    limits = addResources(limits, parseList(spec.overhead));
    return { ...out, ...computeUsage(requests, limits) };
  }
  constraints(required: string[], pod: KubeObject): string | undefined {
    const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
    if (requiredSet.length === 0) return undefined;
    const missing = new Map<string, Set<string>>();
    const spec = rec(pod.spec);
    for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) {
      const have = computeUsage(parseList(rec(c.resources).requests), parseList(rec(c.resources).limits));
      for (const r of requiredSet) {
        if (have[r]) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(String(c.name));
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  }
}

// ---------------------------------------------------------------- registry

const pods = new PodEvaluator();
const services = new ServiceEvaluator();
const generic = new Map<string, QuotaEvaluator>();

/** The evaluator for a resource (plural[.group]); every resource has one (object count at least). */
export function evaluatorFor(resource: string): QuotaEvaluator {
  if (resource === 'pods') return pods;
  if (resource === 'services') return services;
  let ev = generic.get(resource);
  if (!ev) { ev = new ObjectCountEvaluator(resource); generic.set(resource, ev); }
  return ev;
}

/** Which resource (plural[.group]) a quota resource name is consumed by; undefined when none. */
export function resourceForQuotaName(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  if (pods.matchingResources([name]).length) return 'pods';
  if (services.matchingResources([name]).length) return 'services';
  if (LEGACY_COUNT.has(name)) return name;
  return undefined;
}

/** upstream getScopeSelectorsFromQuota: spec.scopes as Exists requirements, then scopeSelector. */
export function quotaScopeRequirements(quota: KubeObject): ScopeRequirement[] {
  const spec = rec(quota.spec);
  const out: ScopeRequirement[] = [];
  for (const s of Array.isArray(spec.scopes) ? spec.scopes : []) out.push({ scopeName: String(s), operator: 'Exists' });
  for (const r of arr(rec(spec.scopeSelector).matchExpressions)) {
    out.push({ scopeName: String(r.scopeName), operator: String(r.operator), values: Array.isArray(r.values) ? r.values.map(String) : [] });
  }
  return out;
}

/** Whether every scope of the quota selects `obj` (no scopes select everything). */
export function matchesQuotaScopes(ev: QuotaEvaluator, quota: KubeObject, obj: KubeObject): boolean {
  return quotaScopeRequirements(quota).every((r) => ev.matchesScope(r, obj));
}
