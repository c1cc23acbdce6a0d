// How a client addresses a resource type, and the refs every component uses.
// A ref names the REST collection (plural), not the Kind; core group is ''.

export interface ResourceRef {
  /** API group; '' for the core (legacy) group served under /api. */
  group: string;
  version: string;
  /** Lower-case plural as in the URL: pods, deployments. */
  plural: string;
  namespaced: boolean;
  /** Kind, when known (used in messages only). */
  kind?: string;
}

/** `pods`, `deployments.apps`: the resource name upstream prints in errors. */
export function qualifiedResource(ref: ResourceRef): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

/** `v1`, `apps/v1`. */
export function groupVersion(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

const core = (plural: string, kind: string, namespaced = true): ResourceRef =>
  Object.freeze({ group: '', version: 'v1', plural, kind, namespaced });
const inGroup = (group: string, version: string, plural: string, kind: string, namespaced = true): ResourceRef =>
  Object.freeze({ group, version, plural, kind, namespaced });

export const Resources = Object.freeze({
  pods: core('pods', 'Pod'),
  nodes: core('nodes', 'Node', false),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  namespaces: core('namespaces', 'Namespace', false),
  events: core('events', 'Event'),
  configmaps: core('configmaps', 'ConfigMap'),
  secrets: core('secrets', 'Secret'),
  serviceaccounts: core('serviceaccounts', 'ServiceAccount'),
  replicationcontrollers: core('replicationcontrollers', 'ReplicationController'),
  resourcequotas: core('resourcequotas', 'ResourceQuota'),
  leases: inGroup('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  replicasets: inGroup('apps', 'v1', 'replicasets', 'ReplicaSet'),
  deployments: inGroup('apps', 'v1', 'deployments', 'Deployment'),
});
