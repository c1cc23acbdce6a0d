// `application/vnd.kubernetes.protobuf` request bodies → the JSON object the rest of the
// server handles. The envelope is the 4-byte magic "k8s\0" followed by a runtime.Unknown
// {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}; raw is the typed message,
// decoded with the field tables in messages.ts.
//
// Errors: a body without the magic, malformed wire data, or a kind/field k8ts cannot decode
// → 415 UnsupportedMediaType / 400 BadRequest, with a message saying to send JSON instead.
// Not handled: content encodings (upstream never sets one), protobuf responses (the server
// always answers JSON, which every client accepts), lists and other non-object bodies.
import { Errors } from '@k8ts/shared';
import { MESSAGES, TOP_LEVEL, type FieldSpec } from './messages.js';
import { readFields, WireError, type WireField } from './wire.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = unknown;

function int32(v: bigint): number { return Number(BigInt.asIntN(32, v)); }
function int64(v: bigint): number { return Number(BigInt.asIntN(64, v)); }

function isEmpty(v: Json): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** A field that carries only zero values (Go writes unset non-pointer fields this way). */
function wireEmpty(f: WireField, depth = 0): boolean {
  if (f.wireType !== 2) return (f.value ?? 0n) === 0n;
  if (!f.bytes || f.bytes.length === 0) return true;
  if (depth > 20) return false;
  try {
    return readFields(f.bytes).every((g) => wireEmpty(g, depth + 1));
  } catch {
    return false;
  }
}

function utf8(b: Uint8Array): string { return Buffer.from(b).toString('utf8'); }

function decodeTime(b: Uint8Array): string | undefined {
  let seconds = 0n;
  for (const f of readFields(b)) if (f.field === 1 && f.value !== undefined) seconds = BigInt.asIntN(64, f.value);
  if (seconds === 0n) return undefined;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function decodeIntOrString(b: Uint8Array): number | string {
  let type = 0n; let intVal = 0; let strVal = '';
  for (const f of readFields(b)) {
    if (f.field === 1) type = f.value ?? 0n;
    else if (f.field === 2) intVal = int32(f.value ?? 0n);
    else if (f.field === 3 && f.bytes) strVal = utf8(f.bytes);
  }
  return type === 1n ? strVal : intVal;
}

function decodeQuantity(b: Uint8Array): string {
  for (const f of readFields(b)) if (f.field === 1 && f.bytes) return utf8(f.bytes);
  return '0';
}

function scalar(type: string, f: WireField, path: string): Json {
  const bytes = (): Uint8Array => {
    if (!f.bytes) throw Errors.badRequest(`protobuf field ${path}: expected length-delimited data`);
    return f.bytes;
  };
  switch (type) {
    case 'string': return utf8(bytes());
    case 'bytes': return Buffer.from(bytes()).toString('base64');
    case 'int32': return int32(f.value ?? 0n);
    case 'int64': return int64(f.value ?? 0n);
    case 'bool': return (f.value ?? 0n) !== 0n;
    case 'Quantity': return decodeQuantity(bytes());
    case 'IntOrString': return decodeIntOrString(bytes());
    case 'Time': return decodeTime(bytes());
    default: return decodeMessage(type, bytes(), path);
  }
}

function decodeMessage(name: string, buf: Uint8Array, path: string): Record<string, Json> {
  const spec = MESSAGES[name];
  if (!spec) throw Errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (message ${name} is not supported; send JSON)`);
  const out: Record<string, Json> = {};
  const present = new Set<string>();
  for (const f of readFields(buf)) {
    const fs: FieldSpec | undefined = spec[f.field];
    const at = `${path}.${fs?.[0] ?? `#${f.field}`}`;
    if (!fs) {
      // an unknown field is only acceptable when it carries nothing
      if (!wireEmpty(f)) throw Errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (field ${f.field} of ${name} at ${path} is not supported by k8ts; send JSON)`);
      continue;
    }
    const [key, type, flags = ''] = fs;
    if (type === 'skip') continue;
    if (type.startsWith('map:')) {
      const valueType = type.slice(4);
      let k = ''; let v: Json = valueType === 'string' ? '' : undefined;
      for (const e of readFields(f.bytes ?? new Uint8Array())) {
        if (e.field === 1 && e.bytes) k = utf8(e.bytes);
        else if (e.field === 2) v = scalar(valueType, e, `${at}[${k}]`);
      }
      const m = (out[key] ?? {}) as Record<string, Json>;
      m[k] = v ?? (valueType === 'bytes' ? '' : valueType === 'Quantity' ? '0' : v);
      out[key] = m;
      present.add(key);
      continue;
    }
    const v = scalar(type, f, at);
    if (flags.includes('r')) {
      out[key] = [...((out[key] as Json[] | undefined) ?? []), v];
      present.add(key);
    } else {
      out[key] = v;
      if (flags.includes('p')) present.add(key);
    }
  }
  // drop zero values of non-pointer fields (Go writes them always; JSON would omit them)
  for (const k of Object.keys(out)) if (!present.has(k) && isEmpty(out[k])) delete out[k];
  return out;
}

export function isProtobuf(mediaType: string): boolean {
  return mediaType === 'application/vnd.kubernetes.protobuf';
}

/** Decodes a protobuf request body into a JSON object (with apiVersion and kind). */
export function decodeProtobufBody(raw: Buffer): Record<string, Json> {
  if (raw.length < 4 || !raw.subarray(0, 4).equals(MAGIC)) {
    throw Errors.badRequest('the protobuf body does not start with the Kubernetes envelope prefix "k8s\\x00"');
  }
  try {
    const env = decodeMessage('Unknown', raw.subarray(4), 'Unknown');
    const tm = (env.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    if (env.contentEncoding) throw Errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (content encoding ${String(env.contentEncoding)})`);
    const msg = TOP_LEVEL[`${tm.apiVersion}/${tm.kind}`];
    if (!msg) throw Errors.unsupportedMediaType(`application/vnd.kubernetes.protobuf (${tm.apiVersion}/${tm.kind} bodies are not supported by k8ts; send JSON)`);
    const rawBytes = Buffer.from(String(env.raw ?? ''), 'base64');
    return { apiVersion: tm.apiVersion, kind: tm.kind, ...decodeMessage(msg, rawBytes, tm.kind!) };
  } catch (e) {
    if (e instanceof WireError) throw Errors.badRequest(`the protobuf body is malformed: ${e.message}`);
    throw e;
  }
}
