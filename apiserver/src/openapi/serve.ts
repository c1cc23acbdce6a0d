// How to answer `GET /openapi/v3[/<group-version>]`, as a pure function the HTTP layer wraps.
//
// Contract (kube-openapi's handler behaviour):
// - `/openapi/v3` → 200 with the index; ETag of its hash; `Cache-Control: no-cache, private`.
// - `/openapi/v3/<gv>` without `hash` → 200, ETag, `Cache-Control: no-cache, private`.
// - with the current `hash` → 200, `Cache-Control: public, immutable`, `Expires` one year on.
// - with another `hash` → 301 to the current URL (clients with an old index follow it).
// - `If-None-Match` equal to the ETag → 304 without body.
// - an unknown group-version → 404 (the caller renders its NotFound Status).
// - `/openapi/v2`: kubectl 1.27 and 1.28 fetch it (protobuf) before any create/apply with
//   validation and give up on a 404 ("the server could not find the requested resource"),
//   even though they then validate server-side via v3. An empty protobuf message is a valid,
//   empty Document (verified with kubectl 1.27/1.28 create, apply and explain); clients
//   asking for JSON get an empty Swagger 2.0 document.
import { createHash } from 'node:crypto';
import type { BuiltOpenApi } from './openapi-v3.js';

export interface OpenApiRequest {
  /** the part after `/openapi/v3`, e.g. '' , '/', '/api/v1', '/apis/apps/v1' */
  subPath: string;
  /** the `hash` query parameter, if any */
  hash?: string;
  /** the If-None-Match header, if any */
  ifNoneMatch?: string;
  /** for Expires; default: now */
  now?: Date;
}

export type OpenApiAnswer =
  | { status: 200; headers: Record<string, string>; body: string }
  | { status: 304; headers: Record<string, string> }
  | { status: 301; headers: Record<string, string> }
  | { status: 404 };

const indexEtags = new WeakMap<BuiltOpenApi, string>();

export function answerOpenApiV3(built: BuiltOpenApi, req: OpenApiRequest): OpenApiAnswer {
  const key = req.subPath.replace(/^\/+|\/+$/g, '');
  if (key === '') {
    return content(built.indexJson, etagOfIndex(built), req, { 'Cache-Control': 'no-cache, private' });
  }
  const doc = built.documents.get(key);
  if (!doc) return { status: 404 };
  if (req.hash !== undefined && req.hash !== '' && req.hash !== doc.hash) {
    return { status: 301, headers: { Location: `/openapi/v3/${key}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' } };
  }
  const caching: Record<string, string> = req.hash
    ? { 'Cache-Control': 'public, immutable', Expires: oneYearFrom(req.now ?? new Date()), Vary: 'Accept' }
    : { 'Cache-Control': 'no-cache, private' };
  return content(doc.json, doc.hash, req, caching);
}

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** `GET /openapi/v2` (and the legacy `/swagger-2.0.0.pb-v1`): an empty document. */
export function answerOpenApiV2(accept: string | undefined, serverVersion = 'unversioned'): OpenApiAnswer {
  if (accept?.includes('protobuf')) {
    return { status: 200, headers: { 'Content-Type': OPENAPI_V2_PROTOBUF, 'Cache-Control': 'no-cache, private' }, body: '' };
  }
  const body = JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version: serverVersion }, paths: {}, definitions: {} });
  return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' }, body };
}

function content(body: string, hash: string, req: OpenApiRequest, caching: Record<string, string>): OpenApiAnswer {
  const etag = JSON.stringify(hash);
  const headers = { ...caching, ETag: etag };
  if (req.ifNoneMatch !== undefined && req.ifNoneMatch.split(',').map((s) => s.trim()).includes(etag)) {
    return { status: 304, headers };
  }
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/json' }, body };
}

function etagOfIndex(built: BuiltOpenApi): string {
  let etag = indexEtags.get(built);
  if (etag === undefined) {
    etag = createHash('sha512').update(built.indexJson).digest('hex').toUpperCase();
    indexEtags.set(built, etag);
  }
  return etag;
}

function oneYearFrom(now: Date): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toUTCString();
}
