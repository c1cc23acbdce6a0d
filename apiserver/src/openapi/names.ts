// Upstream's naming rules for OpenAPI documents: the index key and URL prefix of a
// group-version, the CamelCase group-version in operationIds (`CoreV1`, `AppsV1`,
// `RbacAuthorizationV1`), tags (`core_v1`, `rbacAuthorization_v1`) and component names of
// kinds (`io.k8s.api.core.v1.Pod`, `io.k8s.api.coordination.v1.Lease`; groups outside
// *.k8s.io use the reversed domain, as CRDs do: `com.example.stable.v1.CronTab`).

/** `api/v1`, `apis/apps/v1`: the key in the /openapi/v3 index. */
export function groupVersionKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** `/api/v1`, `/apis/apps/v1`: the URL prefix of a group-version's resources. */
export function urlPrefix(group: string, version: string): string {
  return `/${groupVersionKey(group, version)}`;
}

const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

function groupWords(group: string): string[] {
  if (!group) return ['core'];
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return trimmed.split(/[.-]/).filter((w) => w !== '');
}

/** `CoreV1`, `AppsV1`, `RbacAuthorizationV1`, `CoordinationV1`. */
export function operationGroupVersion(group: string, version: string): string {
  return groupWords(group).map(capitalize).join('') + capitalize(version);
}

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
export function tagName(group: string, version: string): string {
  const [first, ...rest] = groupWords(group);
  return `${first ?? ''}${rest.map(capitalize).join('')}_${version}`;
}

const SPECIAL_PACKAGES: Record<string, string> = {
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
};

/** The package part of component names: `io.k8s.api.core`, `io.k8s.api.apps`, `com.example.stable`. */
export function schemaPackage(group: string): string {
  if (!group) return 'io.k8s.api.core';
  const special = SPECIAL_PACKAGES[group];
  if (special) return special;
  if (group.endsWith('.k8s.io') || !group.includes('.')) return `io.k8s.api.${group.split('.')[0]}`;
  return group.split('.').reverse().join('.');
}

/** `io.k8s.api.apps.v1.Deployment`. */
export function kindSchemaName(group: string, version: string, kind: string): string {
  return `${schemaPackage(group)}.${version}.${kind}`;
}
