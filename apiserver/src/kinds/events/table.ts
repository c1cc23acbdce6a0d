// `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE
// (+ SUBOBJECT SOURCE FIRST SEEN COUNT NAME with -o wide).
import type { KubeObject } from '@k8ts/shared';
import type { TableDef } from '../../registry/types.js';
import { asRecord, isSet } from '../common/field-path.js';
import { ageSince } from '../common/human-duration.js';
import { column } from '../common/table-helpers.js';

function eventSource(ev: KubeObject): string {
  const src = asRecord(ev.source);
  const component = src.component || ev.reportingComponent || '';
  const host = src.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : String(component);
}

export function eventCells(ev: KubeObject, now: Date): unknown[] {
  const firstSeen = isSet(ev.firstTimestamp) && ev.firstTimestamp !== '' ? ageSince(ev.firstTimestamp, now) : ageSince(ev.eventTime, now);
  let lastSeen = isSet(ev.lastTimestamp) && ev.lastTimestamp !== '' ? ageSince(ev.lastTimestamp, now) : firstSeen;
  let count = typeof ev.count === 'number' ? ev.count : 0;
  if (isSet(ev.series)) {
    lastSeen = ageSince(asRecord(ev.series).lastObservedTime, now);
    count = typeof asRecord(ev.series).count === 'number' ? asRecord(ev.series).count : 0;
  } else if (count === 0) {
    count = 1;
  }
  const obj = asRecord(ev.involvedObject);
  const kind = String(obj.kind ?? '').toLowerCase();
  const target = obj.name ? `${kind}/${obj.name}` : kind;
  return [
    lastSeen,
    String(ev.type ?? ''),
    String(ev.reason ?? ''),
    target,
    String(obj.fieldPath ?? ''),
    eventSource(ev),
    String(ev.message ?? '').trim(),
    firstSeen,
    count,
    ev.metadata.name,
  ];
}

export const eventTable: TableDef = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...column('Name', 'string', 'Name must be unique within a namespace.', 1), format: 'name' },
  ],
  cells: eventCells,
};
