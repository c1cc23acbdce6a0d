// Request bodies (JSON, YAML, or the protobuf that typed clients send: protobuf/) and response encoding (JSON, YAML, or a meta.k8s.io Table).
// Malformed bodies are 400 BadRequest; unknown body media types 415; the caller never sees
// a parser's stack trace.
import YAML from 'yaml';
import { Errors } from '@k8ts/shared';
import { decodeProtobufBody, isProtobuf } from './protobuf/decode.js';

export type BodyFormat = 'json' | 'yaml';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes a create/update body. Empty bodies are a 400. */
export function decodeBody(raw: Buffer | undefined, contentType: string | undefined): unknown {
  const mt = mediaType(contentType);
  if (isProtobuf(mt) && raw && raw.length) return decodeProtobufBody(raw);
  const text = raw ? raw.toString('utf8') : '';
  if (!text.trim()) throw Errors.badRequest('the request body is empty: an object is required');
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml' || mt === 'application/apply-patch+yaml') {
    let docs: YAML.Document.Parsed[];
    try {
      docs = YAML.parseAllDocuments(text) as YAML.Document.Parsed[];
    } catch (e) {
      throw Errors.badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
    }
    const real = docs.filter((d) => d.contents !== null);
    if (real.length !== 1) throw Errors.badRequest(`error converting YAML to JSON: expected exactly one document, got ${real.length}`);
    const d = real[0]!;
    if (d.errors.length) throw Errors.badRequest(`error converting YAML to JSON: yaml: ${d.errors[0]!.message.split('\n')[0]}`);
    return d.toJS({ maxAliasCount: 100 });
  }
  if (mt === '' || mt === 'application/json' || mt.endsWith('+json') || mt === 'text/plain' || mt === 'application/x-www-form-urlencoded') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw Errors.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (mt.includes('protobuf')) throw Errors.unsupportedMediaType(mt);
  throw Errors.unsupportedMediaType(mt);
}

export interface AcceptInfo { table: boolean; yaml: boolean; partialMetadata: boolean; }

/** Reads the Accept header the way kubectl writes it (first acceptable alternative wins). */
export function parseAccept(accept: string | undefined): AcceptInfo {
  const info: AcceptInfo = { table: false, yaml: false, partialMetadata: false };
  if (!accept) return info;
  for (const alt of accept.split(',')) {
    const [type, ...params] = alt.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim()) as [string, string]));
    const t = (type ?? '').toLowerCase();
    if (t === 'application/json' && p.as === 'Table' && (p.g === 'meta.k8s.io')) { info.table = true; return info; }
    if (t === 'application/json' && (p.as === 'PartialObjectMetadataList' || p.as === 'PartialObjectMetadata')) { info.partialMetadata = true; return info; }
    if (t === 'application/yaml') { info.yaml = true; return info; }
    if (t === 'application/json' && !p.as) return info;
    if (t === '*/*' || t === 'application/*') return info;
  }
  return info;
}

export function toYaml(obj: unknown): string {
  return YAML.stringify(obj, { aliasDuplicateObjects: false, lineWidth: 0 });
}
