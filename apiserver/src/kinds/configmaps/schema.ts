// core/v1 ConfigMap.
import type { JSONSchema } from '../../registry/types.js';
import { bool, bytes, kindSchema, stringMap } from '../common/schema-builders.js';

export const configMapSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'ConfigMap' },
  {
    data: stringMap('Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.'),
    binaryData: { type: 'object', additionalProperties: bytes(), description: 'BinaryData contains the binary data (base64 in JSON). Keys may not overlap with Data.' },
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  },
  'ConfigMap holds configuration data for pods to consume.',
);
