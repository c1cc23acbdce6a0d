// Upstream's defaulting of PodSpec (SetDefaults_PodSpec, _Container, _Probe, _Volume, ...),
// applied to pods and to the pod templates of RCs, replica sets and deployments.
// Idempotent: running it twice changes nothing. Pod-only defaults live in pods/defaults.ts.
import { asArray, asRecord, isSet } from './field-path.js';
import { canonicalizeQuantityMap, canonicalQuantity } from './quantity.js';

type Rec = Record<string, any>;

const DEFAULT_MODE = 0o644; // 420

function setDefault(o: Rec, key: string, value: unknown): void {
  if (!isSet(o[key]) || o[key] === '') o[key] = value;
}

/** The image's tag as upstream's parser sees it: 'latest' when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastPart = withoutDigest.slice(lastSlash + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon >= 0) return lastPart.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultHttpGet(action: unknown): void {
  if (!isSet(action) || typeof action !== 'object') return;
  const a = action as Rec;
  setDefault(a, 'path', '/');
  setDefault(a, 'scheme', 'HTTP');
}

function defaultProbe(probe: unknown): void {
  if (!isSet(probe) || typeof probe !== 'object') return;
  const p = probe as Rec;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  defaultHttpGet(p.httpGet);
}

function defaultFieldRef(ref: unknown): void {
  if (isSet(ref) && typeof ref === 'object') setDefault(ref as Rec, 'apiVersion', 'v1');
}

function defaultResourceFieldRef(ref: unknown): void {
  if (!isSet(ref) || typeof ref !== 'object') return;
  const r = ref as Rec;
  if (isSet(r.divisor)) r.divisor = canonicalQuantity(r.divisor) ?? r.divisor;
}

export function applyContainerDefaults(container: unknown, hostNetwork: boolean): void {
  if (!isSet(container) || typeof container !== 'object') return;
  const c = container as Rec;
  if (!isSet(c.imagePullPolicy) || c.imagePullPolicy === '') {
    c.imagePullPolicy = imageTag(typeof c.image === 'string' ? c.image : '') === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const port of asArray(c.ports)) {
    if (!isSet(port) || typeof port !== 'object') continue;
    setDefault(port, 'protocol', 'TCP');
    if (hostNetwork && !isSet(port.hostPort) && isSet(port.containerPort)) port.hostPort = port.containerPort;
  }
  for (const env of asArray(c.env)) {
    const from = asRecord(asRecord(env).valueFrom);
    defaultFieldRef(from.fieldRef);
    defaultResourceFieldRef(from.resourceFieldRef);
  }
  if (isSet(c.resources) && typeof c.resources === 'object') {
    canonicalizeQuantityMap(c.resources.limits);
    canonicalizeQuantityMap(c.resources.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = asRecord(c.lifecycle);
  defaultHttpGet(asRecord(lifecycle.postStart).httpGet);
  defaultHttpGet(asRecord(lifecycle.preStop).httpGet);
}

function defaultDownwardItems(items: unknown): void {
  for (const item of asArray(items)) {
    defaultFieldRef(asRecord(item).fieldRef);
    defaultResourceFieldRef(asRecord(item).resourceFieldRef);
  }
}

export function applyVolumeDefaults(volume: unknown): void {
  if (!isSet(volume) || typeof volume !== 'object') return;
  const v = volume as Rec;
  const sources = Object.keys(v).filter((k) => k !== 'name' && isSet(v[k]));
  if (sources.length === 0) v.emptyDir = {};
  if (isSet(v.emptyDir) && isSet(v.emptyDir.sizeLimit)) v.emptyDir.sizeLimit = canonicalQuantity(v.emptyDir.sizeLimit) ?? v.emptyDir.sizeLimit;
  if (isSet(v.hostPath) && typeof v.hostPath === 'object' && !isSet(v.hostPath.type)) v.hostPath.type = '';
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isSet(v[k]) && typeof v[k] === 'object' && !isSet(v[k].defaultMode)) v[k].defaultMode = DEFAULT_MODE;
  }
  if (isSet(v.downwardAPI)) defaultDownwardItems(v.downwardAPI.items);
  for (const source of asArray(asRecord(v.projected).sources)) {
    const s = asRecord(source);
    if (isSet(s.downwardAPI)) defaultDownwardItems(s.downwardAPI.items);
    if (isSet(s.serviceAccountToken) && typeof s.serviceAccountToken === 'object') setDefault(s.serviceAccountToken, 'expirationSeconds', 3600);
  }
}

/** Defaults every PodSpec gets, in pods and in templates. Mutates `spec`. */
export function applyPodSpecDefaults(spec: unknown): void {
  if (!isSet(spec) || typeof spec !== 'object') return;
  const s = spec as Rec;
  setDefault(s, 'dnsPolicy', 'ClusterFirst');
  setDefault(s, 'restartPolicy', 'Always');
  if (!isSet(s.terminationGracePeriodSeconds)) s.terminationGracePeriodSeconds = 30;
  if (!isSet(s.securityContext)) s.securityContext = {};
  setDefault(s, 'schedulerName', 'default-scheduler');
  // serviceAccount is the deprecated alias of serviceAccountName; upstream keeps them equal
  if ((!isSet(s.serviceAccountName) || s.serviceAccountName === '') && typeof s.serviceAccount === 'string' && s.serviceAccount !== '') {
    s.serviceAccountName = s.serviceAccount;
  }
  if (typeof s.serviceAccountName === 'string' && s.serviceAccountName !== '') s.serviceAccount = s.serviceAccountName;
  const hostNetwork = s.hostNetwork === true;
  for (const list of [s.initContainers, s.containers, s.ephemeralContainers]) {
    for (const c of asArray(list)) applyContainerDefaults(c, hostNetwork);
  }
  for (const v of asArray(s.volumes)) applyVolumeDefaults(v);
  canonicalizeQuantityMap(s.overhead);
  if (isSet(s.resources) && typeof s.resources === 'object') {
    canonicalizeQuantityMap(s.resources.limits);
    canonicalizeQuantityMap(s.resources.requests);
  }
}

/** Defaults of a PodTemplateSpec (metadata is left alone). */
export function applyPodTemplateDefaults(template: unknown): void {
  if (!isSet(template) || typeof template !== 'object') return;
  applyPodSpecDefaults((template as Rec).spec);
}
