// `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE (+ CONTAINERS IMAGES SELECTOR).
import type { TableDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { selectorToString } from '../common/label-selector.js';
import { AGE_COLUMN, column, containerCells, int, NAME_COLUMN } from '../common/table-helpers.js';

export const deploymentTable: TableDef = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  cells(obj, now) {
    const spec = asRecord(obj.spec);
    const status = asRecord(obj.status);
    const [names, images] = containerCells(asRecord(asRecord(spec.template).spec).containers);
    return [
      obj.metadata.name,
      `${int(status.readyReplicas)}/${int(spec.replicas)}`,
      int(status.updatedReplicas),
      int(status.availableReplicas),
      ageSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      selectorToString(spec.selector),
    ];
  },
};
