// Column definitions and cell helpers shared by the kinds' tables. Column names are
// upstream's (kubectl upper-cases them: "Nominated Node" → NOMINATED NODE).
import type { TableColumn } from '../../registry/types.js';
import { asArray, asRecord } from './field-path.js';

export const NAME_COLUMN: TableColumn = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.',
};

export const AGE_COLUMN: TableColumn = {
  name: 'Age', type: 'string', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
};

export function column(name: string, type: TableColumn['type'], description: string, priority: 0 | 1 = 0): TableColumn {
  return { name, type, description, priority };
}

/** upstream layoutContainerCells: comma-joined container names and images. */
export function containerCells(containers: unknown): [string, string] {
  const list = asArray(containers).map(asRecord);
  return [list.map((c) => String(c.name ?? '')).join(','), list.map((c) => String(c.image ?? '')).join(',')];
}

/** An int32 field read defensively (missing → 0). */
export const int = (v: unknown): number => (typeof v === 'number' ? v : 0);
