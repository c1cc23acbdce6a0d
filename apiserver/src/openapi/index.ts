// Public surface of the OpenAPI v3 generator (see openapi-v3.ts for the contract).
export { buildOpenApi, type BuiltOpenApi, type BuildOpenApiOptions, type OpenApiDocument, type OpenApiIndex } from './openapi-v3.js';
export { answerOpenApiV2, answerOpenApiV3, OPENAPI_V2_PROTOBUF, type OpenApiAnswer, type OpenApiRequest } from './serve.js';
export { createSchemaRegistry, COMPONENTS_PREFIX, type SchemaRegistry, type SchemaRegistryOptions } from './schema-registry.js';
export { metaSchemas, OBJECT_META, LIST_META, STATUS, PATCH, DELETE_OPTIONS, WATCH_EVENT, INT_OR_STRING, QUANTITY, TIME, SCALE, META_V1 } from './meta-schemas.js';
export { kindSchemaName, groupVersionKey, operationGroupVersion, tagName } from './names.js';
