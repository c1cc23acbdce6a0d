// Node strategies. Nodes keep the status they are created with (the kubelet registers its
// node with capacity, addresses and conditions); updates keep the stored status; /status
// takes only status. Defaults: podCIDR ⇄ podCIDRs, canonical quantities.
import type { KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asArray, asRecord, isSet } from '../common/field-path.js';
import { canonicalizeQuantityMap } from '../common/quantity.js';
import { keepOldStatus, statusStrategy, takeOnlyStatus } from '../common/strategy-helpers.js';
import { validateNode, validateNodeStatus, validateNodeUpdate } from './validation.js';

export function applyNodeDefaults(node: KubeObject): void {
  if (isSet(node.spec) && typeof node.spec === 'object') {
    const spec = node.spec;
    const cidrs = asArray<string>(spec.podCIDRs);
    if (isSet(spec.podCIDR) && spec.podCIDR !== '' && cidrs.length === 0) spec.podCIDRs = [spec.podCIDR];
    else if ((!isSet(spec.podCIDR) || spec.podCIDR === '') && cidrs.length > 0) spec.podCIDR = cidrs[0];
  }
  const status = asRecord(node.status);
  canonicalizeQuantityMap(status.capacity);
  canonicalizeQuantityMap(status.allocatable);
}

export const nodeStrategy: Strategy = {
  prepareForCreate(node) {
    applyNodeDefaults(node);
  },
  prepareForUpdate(node, old) {
    applyNodeDefaults(node);
    keepOldStatus(node, old);
  },
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
};

export const nodeStatusStrategy: Strategy = {
  ...statusStrategy((node) => validateNodeStatus(node)),
  prepareForUpdate(node, old) {
    takeOnlyStatus(node, old);
    applyNodeDefaults(node);
  },
};
