// core/v1 Event.
import type { JSONSchema } from '../../registry/types.js';
import { core, define } from '../common/definitions.js';
import { objectReference } from '../common/object-meta-schema.js';
import { int32, kindSchema, microTime, obj, str, time } from '../common/schema-builders.js';

const eventSourceSchema = define(core('EventSource'), obj({
  component: str('Component from which the event is generated.'),
  host: str('Node name on which the event is generated.'),
}, { description: 'EventSource contains information for an event.' }));

const eventSeriesSchema = define(core('EventSeries'), obj({
  count: int32('Number of occurrences in this series up to the last heartbeat time'),
  lastObservedTime: microTime('Time of the last occurrence observed'),
}, { description: 'EventSeries contain information on series of events.' }));

export const eventSchema: JSONSchema = {
  ...kindSchema(
    { group: '', version: 'v1', kind: 'Event' },
    {
      involvedObject: objectReference('The object that this event is about.'),
      reason: str('This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      message: str('A human-readable description of the status of this operation.'),
      source: { ...eventSourceSchema, description: 'The component reporting this event. Should be a short machine understandable string.' },
      firstTimestamp: time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
      lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
      count: int32('The number of times this event has occurred.'),
      type: str('Type of this event (Normal, Warning), new types could be added in the future'),
      eventTime: microTime('Time when this Event was first observed.'),
      series: eventSeriesSchema,
      action: str('What action was taken/failed regarding to the Regarding object.'),
      related: objectReference('Optional secondary object for more complex actions.'),
      reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
      reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
    },
    'Event is a report of an event somewhere in the cluster.',
  ),
  required: ['metadata', 'involvedObject'],
};
