// Built-in shared definitions every group-version document may need (object metadata, list
// metadata, Status, Patch, DeleteOptions, WatchEvent, Scale, the int-or-string and quantity
// scalars), under upstream's component names. They are in every SchemaRegistry unless a
// kind's own definitions replace them, and a document includes only those it references.
// Descriptions are our own words; shapes follow upstream (field names, types, and the
// strategic-merge-patch extensions kubectl reads).
import type { JSONSchema } from '../registry/types.js';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META_V1}.ObjectMeta`;
export const LIST_META = `${META_V1}.ListMeta`;
export const STATUS = `${META_V1}.Status`;
export const PATCH = `${META_V1}.Patch`;
export const DELETE_OPTIONS = `${META_V1}.DeleteOptions`;
export const WATCH_EVENT = `${META_V1}.WatchEvent`;
export const API_RESOURCE_LIST = `${META_V1}.APIResourceList`;
export const TIME = `${META_V1}.Time`;
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

const ref = (name: string, extra: JSONSchema = {}): JSONSchema => ({ $ref: `#/components/schemas/${name}`, ...extra });
const str = (description: string): JSONSchema => ({ type: 'string', description });
const int32 = (description: string): JSONSchema => ({ type: 'integer', format: 'int32', description });
const int64 = (description: string): JSONSchema => ({ type: 'integer', format: 'int64', description });
const bool = (description: string): JSONSchema => ({ type: 'boolean', description });
const stringMap = (description: string): JSONSchema => ({ type: 'object', additionalProperties: { type: 'string' }, description });
const stringList = (description: string): JSONSchema => ({ type: 'array', items: { type: 'string' }, description });

export const API_VERSION_DESCRIPTION = 'APIVersion is the versioned schema of this representation of an object (group/version, or just the version for the core group). Servers convert recognized schemas to the latest internal value and may reject unrecognized ones.';
export const KIND_DESCRIPTION = 'Kind is the REST resource this object represents, in CamelCase. Servers may infer it from the endpoint the request is sent to. Cannot be updated.';
export const METADATA_DESCRIPTION = 'Standard object metadata: name, namespace, labels, annotations, owner references and server-set fields.';
export const LIST_METADATA_DESCRIPTION = 'Standard list metadata: resourceVersion and continue token.';
export const SPEC_DESCRIPTION = 'Spec is the desired state of the object.';
export const STATUS_DESCRIPTION = 'Status is the most recently observed state of the object. Read-only for clients; written by the system.';

const typeMeta = {
  apiVersion: str(API_VERSION_DESCRIPTION),
  kind: str(KIND_DESCRIPTION),
};

export const metaSchemas: Record<string, JSONSchema> = {
  [OBJECT_META]: {
    type: 'object',
    description: 'ObjectMeta is the metadata every persisted resource has, including objects users create.',
    properties: {
      name: str('Name is unique within a namespace. Required when creating, unless generateName is used. Cannot be updated.'),
      generateName: str('GenerateName is a prefix the server uses to generate a unique name when name is not provided.'),
      namespace: str('Namespace defines the space within which the name must be unique. Empty means "default" for namespaced kinds; cluster-scoped kinds have none. Cannot be updated.'),
      selfLink: str('Deprecated and not set by the server.'),
      uid: str('UID is the unique identifier of this object in time and space, set by the server on creation. Read-only.'),
      resourceVersion: str('An opaque value that changes whenever the object changes; used for optimistic concurrency, change detection and watches. Read-only.'),
      generation: int64('A sequence number for the desired state, incremented when the spec changes. Read-only.'),
      creationTimestamp: ref(TIME, { description: 'When the object was created, set by the server. Read-only.' }),
      deletionTimestamp: ref(TIME, { description: 'When the object will be deleted; set by the server when a graceful deletion is requested. Read-only.' }),
      deletionGracePeriodSeconds: int64('Seconds allowed for this object to terminate gracefully before it is removed. Read-only.'),
      labels: stringMap('Map of string keys and values used to organize and select objects (label selectors).'),
      annotations: stringMap('Unstructured key/value data set by external tools; not used for selection.'),
      ownerReferences: {
        type: 'array',
        description: 'Objects this object depends on. When all owners are deleted, the garbage collector deletes this object. At most one owner may be the managing controller.',
        items: ref(`${META_V1}.OwnerReference`),
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
      },
      finalizers: {
        type: 'array',
        description: 'Entries that must be removed before the object is deleted from the registry.',
        items: { type: 'string' },
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-list-type': 'set',
      },
      managedFields: {
        type: 'array',
        description: 'Which workflow (field manager) manages which fields. Mostly for internal housekeeping.',
        items: ref(`${META_V1}.ManagedFieldsEntry`),
      },
    },
  },
  [`${META_V1}.OwnerReference`]: {
    type: 'object',
    description: 'OwnerReference identifies an owning object, which must be in the same namespace or cluster-scoped.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    properties: {
      apiVersion: str('API version of the referent.'),
      kind: str('Kind of the referent.'),
      name: str('Name of the referent.'),
      uid: str('UID of the referent.'),
      controller: bool('If true, this reference points to the managing controller.'),
      blockOwnerDeletion: bool('If true, the owner cannot be deleted from the key-value store until this reference is removed (foreground deletion).'),
    },
  },
  [`${META_V1}.ManagedFieldsEntry`]: {
    type: 'object',
    description: 'ManagedFieldsEntry records the fields a field manager owns, and the operation that set them.',
    properties: {
      apiVersion: str('The version of the resource the fields are described in.'),
      fieldsType: str('The format of fieldsV1; only "FieldsV1" exists.'),
      fieldsV1: ref(`${META_V1}.FieldsV1`, { description: 'The set of fields owned, in FieldsV1 format.' }),
      manager: str('Identifier of the workflow managing these fields.'),
      operation: str('The operation that caused this entry: Apply or Update.'),
      subresource: str('The subresource the object was updated through, if any.'),
      time: ref(TIME, { description: 'When the operation happened.' }),
    },
  },
  [`${META_V1}.FieldsV1`]: {
    type: 'object',
    description: 'FieldsV1 is a trie of field paths, stored as JSON.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [TIME]: { type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form, with second precision.' },
  [`${META_V1}.MicroTime`]: { type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form, with microsecond precision.' },
  [LIST_META]: {
    type: 'object',
    description: 'ListMeta describes the list itself, for lists of resources.',
    properties: {
      resourceVersion: str('The version of the collection this list reflects; watch from it to see later changes.'),
      continue: str('Set when more items exist; pass it back as the continue parameter to get the next page.'),
      remainingItemCount: int64('How many items follow this page, when the server can tell.'),
      selfLink: str('Deprecated and not set by the server.'),
    },
  },
  [STATUS]: {
    type: 'object',
    description: 'Status is the result of operations that do not return an object, and of every failure.',
    properties: {
      ...typeMeta,
      metadata: ref(LIST_META, { description: LIST_METADATA_DESCRIPTION }),
      status: str('"Success" or "Failure".'),
      message: str('A human-readable description of the result.'),
      reason: str('A machine-readable reason for a failure (NotFound, AlreadyExists, Conflict, Invalid, ...).'),
      details: ref(`${META_V1}.StatusDetails`, { description: 'More data about the reason, depending on it.' }),
      code: int32('The HTTP status code of this result.'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
  },
  [`${META_V1}.StatusDetails`]: {
    type: 'object',
    description: 'StatusDetails names the resource a Status is about and lists the causes.',
    properties: {
      name: str('The name of the resource concerned.'),
      group: str('The group of the resource concerned.'),
      kind: str('The kind (or resource) concerned.'),
      uid: str('The UID of the resource concerned.'),
      causes: { type: 'array', items: ref(`${META_V1}.StatusCause`), description: 'Individual causes, e.g. one per invalid field.' },
      retryAfterSeconds: int32('When set, the client should wait this many seconds before retrying.'),
    },
  },
  [`${META_V1}.StatusCause`]: {
    type: 'object',
    description: 'StatusCause is one reason for a failure.',
    properties: {
      reason: str('A machine-readable cause (FieldValueInvalid, FieldValueRequired, ...).'),
      message: str('A human-readable description of the cause.'),
      field: str('The field at fault, as a path like spec.containers[0].image.'),
    },
  },
  [PATCH]: {
    type: 'object',
    description: 'Patch is the body of a PATCH request: a JSON patch, a JSON merge patch, a strategic merge patch or an apply configuration, depending on the Content-Type.',
  },
  [DELETE_OPTIONS]: {
    type: 'object',
    description: 'DeleteOptions may accompany a delete request.',
    properties: {
      ...typeMeta,
      gracePeriodSeconds: int64('Seconds before the object is deleted; zero deletes immediately; unset uses the kind\'s default.'),
      preconditions: ref(`${META_V1}.Preconditions`, { description: 'Must be fulfilled before deletion, else 409 Conflict.' }),
      orphanDependents: bool('Deprecated: use propagationPolicy. Whether dependents are orphaned.'),
      propagationPolicy: str('How garbage collection treats dependents: Orphan, Background or Foreground.'),
      dryRun: stringList('When present, the deletion is not persisted. Valid value: All.'),
    },
  },
  [`${META_V1}.Preconditions`]: {
    type: 'object',
    description: 'Preconditions must be fulfilled before an operation is carried out.',
    properties: {
      resourceVersion: str('The target resourceVersion.'),
      uid: str('The target UID.'),
    },
  },
  [WATCH_EVENT]: {
    type: 'object',
    description: 'One event of a watch stream.',
    required: ['type', 'object'],
    properties: {
      type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
      object: ref(RAW_EXTENSION, { description: 'The object (or, for ERROR, a Status) the event is about.' }),
    },
  },
  [RAW_EXTENSION]: {
    type: 'object',
    description: 'An embedded object of any kind.',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [`${META_V1}.LabelSelector`]: {
    type: 'object',
    description: 'A label query over a set of resources. matchLabels and matchExpressions are ANDed; an empty selector matches everything, a null one nothing.',
    properties: {
      matchLabels: stringMap('{key,value} pairs; each is equivalent to a matchExpressions entry with operator In and that single value.'),
      matchExpressions: {
        type: 'array',
        description: 'Label selector requirements, ANDed.',
        items: ref(`${META_V1}.LabelSelectorRequirement`),
        'x-kubernetes-list-type': 'atomic',
      },
    },
    'x-kubernetes-map-type': 'atomic',
  } as JSONSchema,
  [`${META_V1}.LabelSelectorRequirement`]: {
    type: 'object',
    description: 'A selector requirement: a key, an operator and values.',
    required: ['key', 'operator'],
    properties: {
      key: str('The label key the selector applies to.'),
      operator: str('In, NotIn, Exists or DoesNotExist.'),
      values: { type: 'array', items: { type: 'string' }, description: 'Values for In and NotIn (non-empty); empty for Exists and DoesNotExist.', 'x-kubernetes-list-type': 'atomic' },
    },
  },
  [API_RESOURCE_LIST]: {
    type: 'object',
    description: 'The resources served in one group-version.',
    required: ['groupVersion', 'resources'],
    properties: {
      ...typeMeta,
      groupVersion: str('The group and version of this list.'),
      resources: { type: 'array', items: ref(`${META_V1}.APIResource`), description: 'The resources and subresources served.' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'APIResourceList' }],
  },
  [`${META_V1}.APIResource`]: {
    type: 'object',
    description: 'One resource: its names, whether it is namespaced, its kind and verbs.',
    required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
    properties: {
      name: str('The plural name of the resource (or resource/subresource).'),
      singularName: str('The singular name of the resource.'),
      namespaced: bool('Whether the resource lives in namespaces.'),
      group: str('The group of the resource when it differs from the list\'s (e.g. autoscaling for scale).'),
      version: str('The version of the resource when it differs from the list\'s.'),
      kind: str('The kind of the resource.'),
      verbs: stringList('The verbs supported: get, list, watch, create, update, patch, delete, deletecollection.'),
      shortNames: stringList('Suggested short names.'),
      categories: stringList('Groupings such as "all".'),
    },
  },
  [INT_OR_STRING]: {
    type: 'string',
    format: 'int-or-string',
    description: 'Either an integer or a string (e.g. a port number or name, a count or a percentage).',
  },
  [QUANTITY]: {
    type: 'string',
    format: 'quantity',
    description: 'A fixed-point number with an optional suffix: binary SI (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (m, "", k, M, G, T, P, E) or a decimal exponent (e3). Examples: 100m, 0.5, 1Gi. JSON numbers are accepted.',
  },
  [SCALE]: {
    type: 'object',
    description: 'Scale is the /scale subresource of a scalable resource.',
    properties: {
      ...typeMeta,
      metadata: ref(OBJECT_META, { description: METADATA_DESCRIPTION }),
      spec: ref('io.k8s.api.autoscaling.v1.ScaleSpec', { description: 'The desired scale.' }),
      status: ref('io.k8s.api.autoscaling.v1.ScaleStatus', { description: 'The current scale; read-only.' }),
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  },
  'io.k8s.api.autoscaling.v1.ScaleSpec': {
    type: 'object',
    description: 'The desired scale.',
    properties: { replicas: int32('The desired number of instances.') },
  },
  'io.k8s.api.autoscaling.v1.ScaleStatus': {
    type: 'object',
    description: 'The observed scale.',
    required: ['replicas'],
    properties: {
      replicas: int32('The actual number of observed instances.'),
      selector: str('The label query over pods that should match the replicas count, in string form (e.g. app=web).'),
    },
  },
};
