// core/v1 Secret.
import type { JSONSchema } from '../../registry/types.js';
import { bool, bytes, kindSchema, str, stringMap } from '../common/schema-builders.js';

export const secretSchema: JSONSchema = kindSchema(
  { group: '', version: 'v1', kind: 'Secret' },
  {
    data: { type: 'object', additionalProperties: bytes(), description: 'Data contains the secret data, values base64 encoded. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' },
    stringData: stringMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values.'),
    type: str('Used to facilitate programmatic handling of secret data. Defaults to Opaque.'),
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
  },
  'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than 1 MiB.',
);
