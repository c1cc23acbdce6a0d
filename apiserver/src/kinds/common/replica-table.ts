// Table of the replica controllers (replica sets, replication controllers):
// NAME DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR with -o wide).
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asRecord } from './field-path.js';
import { ageSince } from './human-duration.js';
import { AGE_COLUMN, column, containerCells, int, NAME_COLUMN } from './table-helpers.js';

/** `selectorText` renders the kind's spec.selector for the SELECTOR column. */
export function replicaTable(selectorText: (obj: KubeObject) => string): TableDef {
  return {
    columns: [
      NAME_COLUMN,
      column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
      column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
      AGE_COLUMN,
      column('Containers', 'string', 'Names of each container in the template.', 1),
      column('Images', 'string', 'Images referenced by each container in the template.', 1),
      column('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
    ],
    cells(obj, now) {
      const spec = asRecord(obj.spec);
      const status = asRecord(obj.status);
      const [names, images] = containerCells(asRecord(asRecord(spec.template).spec).containers);
      return [
        obj.metadata.name,
        int(spec.replicas),
        int(status.replicas),
        int(status.readyReplicas),
        ageSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        selectorText(obj),
      ];
    },
  };
}
