// Public surface of request-body validation against kinds' JSONSchemas.
export { validateAgainstSchema, pruneUnknownFields, type FieldValidationMode, type ResolveRef, type SchemaTypeError, type SchemaValidationResult, type ValidateOptions } from './schema-validate.js';
export { findDuplicateFields, scanJsonKeys, type JsonKeyOccurrence } from './duplicate-fields.js';
export { checkFieldValidation, parseFieldValidation, strictIssueMessages, type FieldValidationInput, type FieldValidationOutcome, type ParsedFieldValidation } from './field-validation.js';
export { isQuantityString, quantityProblem, QUANTITY_PATTERN_TEXT } from './formats.js';
