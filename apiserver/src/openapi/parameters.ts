// OpenAPI v3 parameter objects, inline (kubectl's fieldValidation check reads the names of a
// PATCH operation's own `parameters`, so they must not be `$ref`s). Path-level parameters
// (name, namespace, pretty) sit on the path item; verb-specific ones on each operation.

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

const query = (name: string, type: OpenApiParameter['schema']['type'], description: string): OpenApiParameter =>
  ({ name, in: 'query', description, schema: { type, uniqueItems: true } });

export const pathParam = (name: string, description: string): OpenApiParameter =>
  ({ name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } });

export const namespaceParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
export const nameParam = (kind: string, what = kind): OpenApiParameter => pathParam('name', `name of the ${what}`);

export const pretty = query('pretty', 'string', "If 'true', then the output is pretty printed.");

const dryRun = query('dryRun', 'string', 'When present, modifications are not persisted. Valid values: All (run every stage without persisting). Unrecognized values are an error.');
const fieldManager = query('fieldManager', 'string', 'A name for the actor making the change (at most 128 printable characters); required for apply patches, optional otherwise.');
export const fieldValidation = query('fieldValidation', 'string', 'How the server treats unknown and duplicate fields in the request body: Ignore (drop them silently), Warn (drop them and answer with a warning per field; the default) or Strict (fail the request with every such field listed).');
const force = query('force', 'boolean', 'Forces an apply request, taking over fields other managers own. Must be unset for other patch types.');

const allowWatchBookmarks = query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events in a watch. Servers send them at their discretion. Ignored when not watching.');
const continueParam = query('continue', 'string', 'The continue token of a previous page of the same list, to get the next page. An expired token yields 410 Gone.');
const fieldSelector = query('fieldSelector', 'string', 'A selector restricting the returned objects by their fields. Defaults to everything.');
const labelSelector = query('labelSelector', 'string', 'A selector restricting the returned objects by their labels. Defaults to everything.');
const limit = query('limit', 'integer', 'The maximum number of items to return; when more exist, the list metadata carries a continue token. Not supported with watch.');
const resourceVersion = query('resourceVersion', 'string', 'A constraint on which resource versions the request may be served from. For watches, the version to start from.');
const resourceVersionMatch = query('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: Exact or NotOlderThan.');
const sendInitialEvents = query('sendInitialEvents', 'boolean', 'With watch=true, start with synthetic events for the current state, then a bookmark.');
const timeoutSeconds = query('timeoutSeconds', 'integer', 'How long a list or watch call may last, regardless of activity.');
const watch = query('watch', 'boolean', 'Watch for changes to the described resources and stream them as add, update and remove notifications.');

const gracePeriodSeconds = query('gracePeriodSeconds', 'integer', 'Seconds before the object is deleted; zero deletes immediately; unset uses the default of the kind.');
const orphanDependents = query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. Whether dependents are orphaned.');
const propagationPolicy = query('propagationPolicy', 'string', 'How dependents are garbage collected: Orphan, Background or Foreground.');

export const listParams: OpenApiParameter[] = [
  allowWatchBookmarks, continueParam, fieldSelector, labelSelector, limit,
  resourceVersion, resourceVersionMatch, sendInitialEvents, timeoutSeconds, watch,
];
export const createParams: OpenApiParameter[] = [dryRun, fieldManager, fieldValidation];
export const updateParams: OpenApiParameter[] = [dryRun, fieldManager, fieldValidation];
export const patchParams: OpenApiParameter[] = [dryRun, fieldManager, fieldValidation, force];
export const deleteParams: OpenApiParameter[] = [dryRun, gracePeriodSeconds, orphanDependents, propagationPolicy];
export const deleteCollectionParams: OpenApiParameter[] = [
  ...deleteParams, continueParam, fieldSelector, labelSelector, limit,
  resourceVersion, resourceVersionMatch, sendInitialEvents, timeoutSeconds,
];

export const logParams: OpenApiParameter[] = [
  query('container', 'string', 'The container to stream logs from; may be omitted when the pod has one container.'),
  query('follow', 'boolean', 'Follow the log stream.'),
  query('limitBytes', 'integer', 'Stop after this many bytes.'),
  query('previous', 'boolean', 'Return the logs of the previous, terminated container.'),
  query('sinceSeconds', 'integer', 'Only logs newer than this many seconds.'),
  query('tailLines', 'integer', 'Only this many lines from the end of the log.'),
  query('timestamps', 'boolean', 'Prefix every line with an RFC 3339 timestamp.'),
];

export const execParams: OpenApiParameter[] = [
  query('command', 'string', 'The command to execute; repeat the parameter for each argument.'),
  query('container', 'string', 'The container to execute in; may be omitted when the pod has one container.'),
  query('stderr', 'boolean', 'Redirect standard error.'),
  query('stdin', 'boolean', 'Redirect standard input.'),
  query('stdout', 'boolean', 'Redirect standard output.'),
  query('tty', 'boolean', 'Allocate a terminal.'),
];
