// Checks a decoded request body against a kind's JSONSchema, the way Kubernetes' decoder
// does before any per-kind validation runs.
//
// Contract:
// - typeErrors: values of the wrong JSON type, integers out of their format's range, bad
//   quantities / int-or-strings / RFC 3339 times / base64 bytes. Upstream reports these while
//   decoding, as 400 BadRequest (`Deployment in version "v1" cannot be handled as a
//   Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
//   of type int32`); each error carries that sentence in `decodeMessage`, and a CRD-style
//   FieldError (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type
//   integer: "string"`) for callers that prefer causes.
// - valueErrors: values outside a schema `enum` (`Unsupported value`), which upstream reports
//   from validation as 422 Invalid. `required` is NOT checked here: per-kind strategies own it.
// - unknownFields: paths (`spec.template.spec.containers[0].foo`, no leading dot, map entries
//   as `.key`) of fields the schema does not know, in document order — the paths upstream
//   prints in `unknown field "spec.foo"`. Not collected in mode 'Ignore'. Nothing is reported
//   below x-kubernetes-preserve-unknown-fields, `additionalProperties: true`, or an object
//   schema with neither `properties` nor `additionalProperties` (a free-form object: the
//   schema is not exhaustive there). Top-level apiVersion, kind and metadata are always
//   allowed; they are checked only when the schema describes them.
// - null is accepted anywhere (Go decodes it as the zero value). Unresolvable $refs make the
//   value undescribed (accepted as-is). The input is never mutated.
import { FieldErrors, type FieldError } from '@k8ts/shared';
import type { JSONSchema } from '../registry/types.js';
import { base64Problem, dateTimeProblem, integerRangeProblem, quantityProblem } from './formats.js';
import { resolveWithName, type ResolveRef } from './schema-resolve.js';
import { goJsonTypeOf, goTypeOf, isIntOrString, isQuantity, openApiTypeOf, schemaType } from './type-names.js';

export type { ResolveRef } from './schema-resolve.js';

export type FieldValidationMode = 'Strict' | 'Warn' | 'Ignore';

export interface SchemaTypeError extends FieldError {
  /** The decoder-style sentence upstream puts after `<Kind> in version "<v>" cannot be handled as a <Kind>: `. */
  decodeMessage: string;
}

export interface SchemaValidationResult {
  typeErrors: SchemaTypeError[];
  valueErrors: FieldError[];
  unknownFields: string[];
}

export interface ValidateOptions {
  /** 'Ignore' skips collecting unknown fields; type errors are reported in every mode. Default 'Strict'. */
  mode?: FieldValidationMode;
  /** Go struct name used for top-level fields in decode messages (the kind). Default: the root $ref's name, else 'Object'. */
  rootName?: string;
}

const ROOT_ALWAYS_ALLOWED = new Set(['apiVersion', 'kind', 'metadata']);

interface Ctx {
  resolveRef: ResolveRef;
  collectUnknown: boolean;
  out: SchemaValidationResult;
}

export function validateAgainstSchema(
  obj: unknown, schema: JSONSchema, resolveRef: ResolveRef, options: ValidateOptions = {},
): SchemaValidationResult {
  const ctx: Ctx = {
    resolveRef,
    collectUnknown: (options.mode ?? 'Strict') !== 'Ignore',
    out: { typeErrors: [], valueErrors: [], unknownFields: [] },
  };
  const rootName = options.rootName ?? resolveWithName(schema, resolveRef).name ?? 'Object';
  walk(obj, schema, { dot: '', field: '', struct: rootName, root: true }, ctx);
  return ctx.out;
}

interface Where {
  /** path as upstream prints unknown/duplicate fields and decode errors: map entries as `.key` */
  dot: string;
  /** path as field.Path prints causes: map entries as `[key]` */
  field: string;
  /** Go struct the value is a field of */
  struct: string;
  root?: boolean;
}

const childField = (p: string, k: string): string => (p ? `${p}.${k}` : k);

function walk(value: unknown, raw: JSONSchema | undefined, at: Where, ctx: Ctx): void {
  if (value === null || value === undefined) return;
  const { schema, name } = resolveWithName(raw, ctx.resolveRef);
  if (!schema) return;

  if (isQuantity(schema)) {
    if (typeof value !== 'string' && typeof value !== 'number') return typeError(value, raw, 'string', at, ctx);
    const problem = quantityProblem(value);
    if (problem) pushTypeError(ctx, at, value, `${at.dot} in body must be of type quantity: ${JSON.stringify(value)}`, problem);
    return;
  }
  if (isIntOrString(schema)) {
    if (typeof value === 'string') return;
    if (typeof value === 'number' && Number.isInteger(value)) return;
    return typeError(value, raw, 'integer,string', at, ctx);
  }

  switch (schemaType(schema)) {
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return typeError(value, raw, 'object', at, ctx);
      return walkObject(value as Record<string, unknown>, schema, { ...at, struct: name ?? at.struct }, ctx);
    case 'array':
      if (!Array.isArray(value)) return typeError(value, raw, 'array', at, ctx);
      value.forEach((item, i) => walk(item, schema.items, {
        dot: `${at.dot}[${i}]`, field: `${at.field}[${i}]`, struct: at.struct,
      }, ctx));
      return;
    case 'string':
      if (typeof value !== 'string') return typeError(value, raw, 'string', at, ctx);
      checkStringFormat(value, schema, at, ctx);
      return checkEnum(value, schema, at, ctx);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(value, raw, 'integer', at, ctx);
      checkIntegerRange(value, schema, at, ctx);
      return checkEnum(value, schema, at, ctx);
    case 'number':
      if (typeof value !== 'number') return typeError(value, raw, 'number', at, ctx);
      return checkEnum(value, schema, at, ctx);
    case 'boolean':
      if (typeof value !== 'boolean') return typeError(value, raw, 'boolean', at, ctx);
      return;
    default:
      return checkEnum(value, schema, at, ctx);
  }
}

function walkObject(value: Record<string, unknown>, schema: JSONSchema, at: Where, ctx: Ctx): void {
  const props = schema.properties;
  const extra = schema.additionalProperties;
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || extra === true
    || (props === undefined && extra === undefined);
  for (const key of Object.keys(value)) {
    const dot = childField(at.dot, key);
    if (props && Object.prototype.hasOwnProperty.call(props, key)) {
      walk(value[key], props[key], { dot, field: childField(at.field, key), struct: at.struct }, ctx);
    } else if (at.root && ROOT_ALWAYS_ALLOWED.has(key)) {
      continue;
    } else if (typeof extra === 'object') {
      walk(value[key], extra, { dot, field: `${at.field}[${key}]`, struct: at.struct }, ctx);
    } else if (!open && ctx.collectUnknown) {
      ctx.out.unknownFields.push(dot);
    }
  }
}

function typeError(value: unknown, schema: JSONSchema | undefined, expected: string, at: Where, ctx: Ctx): void {
  const got = openApiTypeOf(value);
  const numberDetail = typeof value === 'number' ? ` ${value}` : '';
  pushTypeError(ctx, at, got, `${at.dot} in body must be of type ${expected}: ${JSON.stringify(got)}`,
    `json: cannot unmarshal ${goJsonTypeOf(value)}${numberDetail} into Go struct field ${at.struct}.${at.dot} of type ${goTypeOf(schema, ctx.resolveRef)}`);
}

function pushTypeError(ctx: Ctx, at: Where, shown: unknown, detail: string, decodeMessage: string): void {
  ctx.out.typeErrors.push({ ...FieldErrors.typeInvalid(at.field, shown, detail), decodeMessage });
}

function checkIntegerRange(value: number, schema: JSONSchema, at: Where, ctx: Ctx): void {
  const bound = integerRangeProblem(value, schema.format);
  if (!bound) return;
  const detail = bound.max !== undefined
    ? `${at.dot} in body should be less than or equal to ${bound.max}`
    : `${at.dot} in body should be greater than or equal to ${bound.min}`;
  pushTypeError(ctx, at, value, detail,
    `json: cannot unmarshal number ${value} into Go struct field ${at.struct}.${at.dot} of type ${goTypeOf(schema, ctx.resolveRef)}`);
}

function checkStringFormat(value: string, schema: JSONSchema, at: Where, ctx: Ctx): void {
  const problem = schema.format === 'date-time' ? dateTimeProblem(value)
    : schema.format === 'byte' ? base64Problem(value)
    : undefined;
  if (problem) pushTypeError(ctx, at, value, `${at.dot} in body must be of type ${schema.format}: ${JSON.stringify(value)}`, problem);
}

function checkEnum(value: unknown, schema: JSONSchema, at: Where, ctx: Ctx): void {
  if (!schema.enum || schema.enum.some((allowed) => allowed === value)) return;
  ctx.out.valueErrors.push(FieldErrors.notSupported(at.field, value, schema.enum.map((e) => String(e))));
}

/**
 * Removes, in place, every field the schema does not know — exactly the fields that
 * validateAgainstSchema reports as unknown (same open-schema rules; top-level apiVersion,
 * kind and metadata are kept). Upstream decodes bodies into typed structs, so unknown
 * fields accepted under fieldValidation=Warn/Ignore are dropped, never stored or echoed.
 */
export function pruneUnknownFields(obj: unknown, schema: JSONSchema, resolveRef: ResolveRef): void {
  prune(obj, schema, resolveRef, true);
}

function prune(value: unknown, raw: JSONSchema | undefined, resolveRef: ResolveRef, root: boolean): void {
  if (value === null || typeof value !== 'object') return;
  const { schema } = resolveWithName(raw, resolveRef);
  if (!schema || isQuantity(schema) || isIntOrString(schema)) return;
  const t = schemaType(schema);
  if (t === 'array') {
    if (Array.isArray(value)) for (const item of value) prune(item, schema.items, resolveRef, false);
    return;
  }
  if (t !== 'object' || Array.isArray(value)) return;
  const o = value as Record<string, unknown>;
  const props = schema.properties;
  const extra = schema.additionalProperties;
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || extra === true
    || (props === undefined && extra === undefined);
  for (const key of Object.keys(o)) {
    if (props && Object.prototype.hasOwnProperty.call(props, key)) prune(o[key], props[key], resolveRef, false);
    else if (root && ROOT_ALWAYS_ALLOWED.has(key)) continue;
    else if (typeof extra === 'object') prune(o[key], extra, resolveRef, false);
    else if (!open) delete o[key];
  }
}
