// coordination.k8s.io/v1 Lease.
import type { JSONSchema } from '../../registry/types.js';
import { coordination, define } from '../common/definitions.js';
import { int32, kindSchema, microTime, obj, str } from '../common/schema-builders.js';

const leaseSpecSchema = define(coordination('LeaseSpec'), obj({
  holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
  leaseDurationSeconds: int32('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it.'),
  acquireTime: microTime('acquireTime is a time when the current lease was acquired.'),
  renewTime: microTime('renewTime is a time when the current holder of a lease has last updated the lease.'),
  leaseTransitions: int32('leaseTransitions is the number of transitions of a lease between holders.'),
  strategy: str('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
  preferredHolder: str('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
}, { description: 'LeaseSpec is a specification of a Lease.' }));

export const leaseSchema: JSONSchema = kindSchema(
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  { spec: leaseSpecSchema },
  'Lease defines a lease concept.',
);
