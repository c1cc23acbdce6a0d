// ResourceQuota strategies: canonical quantities, status reset on create (the quota
// controller fills status.hard/used), stored status kept on update, /status takes only status.
import type { KubeObject } from '@k8ts/shared';
import type { Strategy } from '../../registry/types.js';
import { asRecord } from '../common/field-path.js';
import { validateObjectMetaUpdate } from '../common/object-meta-validation.js';
import { canonicalizeQuantityMap } from '../common/quantity.js';
import { keepOldStatus, resetStatus, statusStrategy, takeOnlyStatus } from '../common/strategy-helpers.js';
import { validateResourceQuota, validateResourceQuotaStatus } from './validation.js';

function canonicalize(quota: KubeObject): void {
  canonicalizeQuantityMap(asRecord(quota.spec).hard);
  canonicalizeQuantityMap(asRecord(quota.status).hard);
  canonicalizeQuantityMap(asRecord(quota.status).used);
}

export const resourceQuotaStrategy: Strategy = {
  prepareForCreate(quota) {
    canonicalize(quota);
    resetStatus(quota);
  },
  prepareForUpdate(quota, old) {
    canonicalize(quota);
    keepOldStatus(quota, old);
  },
  validate: validateResourceQuota,
  validateUpdate: validateObjectMetaUpdate,
};

export const resourceQuotaStatusStrategy: Strategy = {
  ...statusStrategy((quota) => validateResourceQuotaStatus(quota)),
  prepareForUpdate(quota, old) {
    takeOnlyStatus(quota, old);
    canonicalize(quota);
  },
};
