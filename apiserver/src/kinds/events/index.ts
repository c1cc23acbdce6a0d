// core/v1 events.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { eventSchema } from './schema.js';
import { eventStrategy } from './strategy.js';
import { eventTable } from './table.js';

const involved = (field: string) => (ev: KubeObject): string => String(asRecord(ev.involvedObject)[field] ?? '');

/** upstream EventToSelectableFields (source falls back to reportingComponent). */
export const eventFieldSelectors: Record<string, (ev: KubeObject) => string> = {
  'involvedObject.kind': involved('kind'),
  'involvedObject.namespace': involved('namespace'),
  'involvedObject.name': involved('name'),
  'involvedObject.uid': involved('uid'),
  'involvedObject.apiVersion': involved('apiVersion'),
  'involvedObject.resourceVersion': involved('resourceVersion'),
  'involvedObject.fieldPath': involved('fieldPath'),
  reason: (ev) => String(ev.reason ?? ''),
  reportingComponent: (ev) => String(ev.reportingComponent ?? ''),
  source: (ev) => String(asRecord(ev.source).component || ev.reportingComponent || ''),
  type: (ev) => String(ev.type ?? ''),
};

export const events: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  strategy: eventStrategy,
  schema: eventSchema,
  table: eventTable,
  fieldSelectors: eventFieldSelectors,
};
