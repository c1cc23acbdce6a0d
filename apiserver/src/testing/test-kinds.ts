// Minimal kinds for store/HTTP tests that must not depend on the real kinds' details.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../registry/types.js';

const table = {
  columns: [{ name: 'Name', type: 'string' as const, format: 'name', description: 'name', priority: 0 as const }],
  cells: (o: KubeObject) => [o.metadata.name],
};

export const testNamespaces: ResourceDef = {
  group: '', version: 'v1', kind: 'Namespace', listKind: 'NamespaceList', plural: 'namespaces', singular: 'namespace',
  namespaced: false, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, table,
  strategy: {
    prepareForCreate(o) { o.spec = { finalizers: ['kubernetes'], ...o.spec }; o.status = { phase: 'Active' }; },
    beginTermination(o) { o.status = { ...o.status, phase: 'Terminating' }; return (o.spec?.finalizers ?? []).length > 0; },
  },
  statusStrategy: {},
};

export const testWidgets: ResourceDef = {
  group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget',
  namespaced: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, table,
  strategy: {
    prepareForCreate(o) { delete o.status; },
    prepareForUpdate(o, old) { o.status = old.status; if (o.status === undefined) delete o.status; },
    validate(o) { return typeof o.spec?.size === 'number' && o.spec.size < 0 ? [{ field: 'spec.size', reason: 'FieldValueInvalid', message: 'Invalid value: must be >= 0' }] : []; },
  },
  statusStrategy: { prepareForUpdate(o, old) { o.spec = old.spec; } },
  fieldSelectors: { 'spec.color': (o) => o.spec?.color },
};

/** A kind with a unique allocation, to test reservations (like ClusterIPs). */
export const testPorts: ResourceDef = {
  group: 'example.com', version: 'v1', kind: 'Port', listKind: 'PortList', plural: 'ports', singular: 'port',
  namespaced: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, table,
  strategy: {
    async prepareForCreate(o, ctx) {
      if (typeof o.spec?.port === 'number') {
        if (await ctx.isReserved(`/registry/allocations/test-ports/${o.spec.port}`)) throw new Error('taken');
        ctx.reserve(`/registry/allocations/test-ports/${o.spec.port}`);
      }
    },
    prepareForDelete(o, ctx) { if (typeof o.spec?.port === 'number') ctx.release(`/registry/allocations/test-ports/${o.spec.port}`); },
    returnDeletedObject: true,
  },
};
