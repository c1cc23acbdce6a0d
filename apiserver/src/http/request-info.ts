// Parses a request path into what it addresses, Kubernetes-style:
//   /api/v1/{resource}[/{name}[/{sub}]]
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]
//   /apis/{group}/{version}/... (same shapes)
//   /api/v1/watch/... and /apis/g/v/watch/... (deprecated watch paths)
// `namespaces/{name}[/status|/finalize]` addresses the namespace object itself.
import { Errors } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';

export interface ResourceRequest {
  group: string;
  version: string;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** came through a /watch/ path */
  watchPath: boolean;
}

export type DefLookup = (group: string, version: string, plural: string) => ResourceDef | undefined;
export type GroupKnown = (group: string, version: string) => boolean;

/** Returns undefined when the path is not a resource path (discovery etc). Throws 404 for unknown resources. */
export function parseResourcePath(path: string, lookup: DefLookup, known: GroupKnown): ResourceRequest | undefined {
  const parts = path.split('?')[0]!.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string; let version: string; let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) { group = ''; version = parts[1]!; rest = parts.slice(2); }
  else if (parts[0] === 'apis' && parts.length >= 4) { group = parts[1]!; version = parts[2]!; rest = parts.slice(3); }
  else return undefined;
  if (!known(group, version)) throw Errors.resourceNotFound('the server could not find the requested resource');
  let watchPath = false;
  if (rest[0] === 'watch') { watchPath = true; rest = rest.slice(1); }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    // namespaces/{ns}/{resource}... unless it is namespaces/{name}/status|finalize
    const nsDef = lookup(group, version, 'namespaces');
    if (nsDef && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
      return { group, version, def: nsDef, name: rest[1], subresource: rest[2], watchPath };
    }
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const plural = rest[0];
  if (!plural || rest.length > 3) throw Errors.resourceNotFound('the server could not find the requested resource');
  const def = lookup(group, version, plural);
  if (!def) throw Errors.resourceNotFound('the server could not find the requested resource');
  if (namespace !== undefined && !def.namespaced) throw Errors.resourceNotFound('the server could not find the requested resource');
  const req: ResourceRequest = { group, version, def, watchPath };
  if (namespace !== undefined) req.namespace = namespace;
  if (rest[1] !== undefined) req.name = rest[1];
  if (rest[2] !== undefined) req.subresource = rest[2];
  return req;
}
