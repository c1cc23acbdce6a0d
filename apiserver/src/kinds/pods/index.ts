// core/v1 pods.
import type { KubeObject } from '@k8ts/shared';
import type { ResourceDef } from '../../registry/types.js';
import { asArray, asRecord } from '../common/field-path.js';
import { podSchema } from './schema.js';
import { podStatusStrategy, podStrategy } from './strategy.js';
import { podTable } from './table.js';

const specString = (pod: KubeObject, field: string): string => {
  const v = asRecord(pod.spec)[field];
  return typeof v === 'string' ? v : '';
};

/** upstream PodToSelectableFields: missing values select as ''. */
export const podFieldSelectors: Record<string, (pod: KubeObject) => string> = {
  'spec.nodeName': (p) => specString(p, 'nodeName'),
  'spec.restartPolicy': (p) => specString(p, 'restartPolicy'),
  'spec.schedulerName': (p) => specString(p, 'schedulerName'),
  'spec.serviceAccountName': (p) => specString(p, 'serviceAccountName'),
  'spec.hostNetwork': (p) => String(asRecord(p.spec).hostNetwork === true),
  'status.phase': (p) => String(asRecord(p.status).phase ?? ''),
  'status.podIP': (p) => {
    const status = asRecord(p.status);
    const ips = asArray(status.podIPs);
    return String((ips.length ? asRecord(ips[0]).ip : status.podIP) ?? '');
  },
  'status.nominatedNodeName': (p) => String(asRecord(p.status).nominatedNodeName ?? ''),
};

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  strategy: podStrategy,
  statusStrategy: podStatusStrategy,
  extraSubresources: ['binding', 'log', 'exec', 'portforward', 'attach'],
  schema: podSchema,
  table: podTable,
  fieldSelectors: podFieldSelectors,
};
