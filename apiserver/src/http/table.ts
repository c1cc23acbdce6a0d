// Server-side printing: meta.k8s.io/v1 Table for `kubectl get` human output. Columns and
// cells come from each kind's TableDef; rows carry the object's metadata
// (PartialObjectMetadata) unless includeObject says otherwise.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableOf(def: ResourceDef, objs: KubeObject[], meta: { resourceVersion?: string; continue?: string }, include: IncludeObject = 'Metadata', withColumns = true, now = new Date()): Record<string, unknown> {
  const rows = objs.map((o) => {
    let cells: unknown[];
    try { cells = def.table.cells(o, now); } catch { cells = def.table.columns.map((_, i) => (i === 0 ? o.metadata.name : '<unknown>')); }
    const row: Record<string, unknown> = { cells };
    if (include === 'Object') row.object = o;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return row;
  });
  const t: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { ...meta } };
  if (withColumns) t.columnDefinitions = def.table.columns.map((c) => ({ name: c.name, type: c.type === 'date' ? 'string' : c.type, format: c.format ?? '', description: c.description, priority: c.priority }));
  else t.columnDefinitions = null;
  t.rows = rows;
  return t;
}

export function partialMetadata(o: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}
