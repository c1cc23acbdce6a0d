// Server-side field validation (the `fieldValidation` query parameter) for a request body:
// decides between a 400 BadRequest, Warning headers, or nothing, with upstream's messages.
//
// Contract (upstream behaviour, kube-apiserver 1.27+):
// - `fieldValidation` is `Strict`, `Warn` or `Ignore` (case-sensitive); absent/empty means
//   `Warn`. Anything else is a 422 on the request options (`fieldValidation: Unsupported value`).
// - Wrong JSON types etc. are decode errors: 400 in every mode, first error only:
//   `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ...`.
// - Unknown and duplicate fields, in document order, as `unknown field "spec.foo"` /
//   `duplicate field "spec.paused"`; a field both unknown and duplicated is reported once, as
//   unknown, and nothing below an unknown field is reported. Strict → one 400:
//   `... cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", ...`;
//   Warn → one warning text per issue (for `Warning: 299 - "<text>"` headers); Ignore → nothing.
// - Enum violations come back as `valueErrors` for the caller to merge into the kind's 422.
import { Errors, FieldErrors, type FieldError, type StatusError } from '@k8ts/shared';
import type { JSONSchema } from '../registry/types.js';
import { scanJsonKeys, type JsonKeyOccurrence } from './duplicate-fields.js';
import { validateAgainstSchema, type FieldValidationMode, type ResolveRef } from './schema-validate.js';

const MODES: readonly FieldValidationMode[] = ['Ignore', 'Strict', 'Warn'];

export interface ParsedFieldValidation {
  mode: FieldValidationMode;
  /** present when the parameter's value is not supported (mode is then 'Warn') */
  error?: FieldError;
}

/** Reads the `fieldValidation` query parameter. */
export function parseFieldValidation(raw: string | undefined): ParsedFieldValidation {
  if (raw === undefined || raw === '') return { mode: 'Warn' };
  if ((MODES as readonly string[]).includes(raw)) return { mode: raw as FieldValidationMode };
  return { mode: 'Warn', error: FieldErrors.notSupported('fieldValidation', raw, [...MODES]) };
}

/**
 * Unknown/duplicate field messages in document order. Without `keys` (no raw JSON, e.g. a
 * YAML body), only unknown fields are listed, in the order the validator found them.
 */
export function strictIssueMessages(keys: JsonKeyOccurrence[] | undefined, unknownFields: string[]): string[] {
  const unknown = new Set(unknownFields);
  const reported = new Set<string>();
  const out: string[] = [];
  const belowUnknown = (path: string): boolean =>
    unknownFields.some((u) => path.length > u.length && path.startsWith(u) && (path[u.length] === '.' || path[u.length] === '['));
  for (const { path, duplicate } of keys ?? []) {
    if (belowUnknown(path)) continue;
    if (unknown.has(path)) {
      if (!reported.has(path)) out.push(`unknown field ${JSON.stringify(path)}`);
      reported.add(path);
    } else if (duplicate) {
      out.push(`duplicate field ${JSON.stringify(path)}`);
    }
  }
  for (const path of unknownFields) {
    if (!reported.has(path)) out.push(`unknown field ${JSON.stringify(path)}`);
  }
  return out;
}

export interface FieldValidationInput {
  /** the decoded body */
  obj: unknown;
  /** the raw JSON text, for duplicate detection (omit for non-JSON bodies) */
  rawJson?: string;
  schema: JSONSchema;
  resolveRef: ResolveRef;
  mode: FieldValidationMode;
  /** for messages: `<kind> in version "<version>" cannot be handled as a <kind>` */
  kind: string;
  version: string;
}

export interface FieldValidationOutcome {
  /** a 400 BadRequest to answer with, if any */
  error?: StatusError;
  /** warning texts (mode Warn) */
  warnings: string[];
  /** enum violations: 422 causes to merge with the kind's own validation */
  valueErrors: FieldError[];
}

export function checkFieldValidation(input: FieldValidationInput): FieldValidationOutcome {
  const { kind, version, mode } = input;
  const prefix = () => `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: `;
  const result = validateAgainstSchema(input.obj, input.schema, input.resolveRef, { mode, rootName: kind });
  const first = result.typeErrors[0];
  if (first) return { error: Errors.badRequest(prefix() + first.decodeMessage), warnings: [], valueErrors: [] };
  if (mode === 'Ignore') return { warnings: [], valueErrors: result.valueErrors };

  const keys = input.rawJson !== undefined ? scanJsonKeys(input.rawJson) : undefined;
  const issues = strictIssueMessages(keys, result.unknownFields);
  if (issues.length === 0) return { warnings: [], valueErrors: result.valueErrors };
  if (mode === 'Strict') {
    return { error: Errors.badRequest(`${prefix()}strict decoding error: ${issues.join(', ')}`), warnings: [], valueErrors: result.valueErrors };
  }
  return { warnings: issues, valueErrors: result.valueErrors };
}
