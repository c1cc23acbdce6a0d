// The controller table (upstream's NewControllerDescriptors) and --controllers selection.
// To add a controller: a folder under controllers/ with its reconcile loop, and one entry here.
import type { ControllerDescriptor } from './types.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { ReplicaSetController } from './replicaset/replica-set-controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './replicaset/replica-kind.js';
import { GarbageCollector } from './garbagecollector/garbage-collector.js';
import { DeploymentController } from './deployment/deployment-controller.js';

export const CONTROLLERS: readonly ControllerDescriptor[] = [
  {
    name: 'namespace',
    enabledByDefault: true,
    init: (ctx) => new NamespaceController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, workers: ctx.options.concurrentNamespaceSyncs,
    }),
  },
  {
    name: 'replicaset',
    enabledByDefault: true,
    init: (ctx) => new ReplicaSetController({
      kind: REPLICA_SET, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(REPLICA_SET.component),
    }),
  },
  {
    name: 'replicationcontroller',
    enabledByDefault: true,
    init: (ctx) => new ReplicaSetController({
      kind: REPLICATION_CONTROLLER, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(REPLICATION_CONTROLLER.component),
    }),
  },
  {
    name: 'garbagecollector',
    enabledByDefault: true,
    init: (ctx) => new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger }),
  },
    name: 'deployment',
    enabledByDefault: true,
    init: (ctx) => new DeploymentController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('deployment-controller'),
    }),
  },
];

/**
 * Upstream semantics of --controllers: `-foo` disables foo, `foo` enables it, `*` enables the
 * ones on by default; the first matching rule in that order wins. Unknown names (other than
 * `*`) throw, as upstream refuses them at start-up.
 */
export function enabledControllers(spec: readonly string[], table: readonly ControllerDescriptor[] = CONTROLLERS): ControllerDescriptor[] {
  const known = new Set(table.map((c) => c.name));
  for (const s of spec) {
    const name = s.startsWith('-') ? s.slice(1) : s;
    if (name !== '*' && !known.has(name)) {
      throw new Error(`--controllers: "${name}" is not a known controller (known: ${[...known].join(', ')})`);
    }
  }
  return table.filter((c) => {
    if (spec.includes(`-${c.name}`)) return false;
    if (spec.includes(c.name)) return true;
    return spec.includes('*') && c.enabledByDefault;
  });
}
