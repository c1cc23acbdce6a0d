// The controller table (upstream's NewControllerDescriptors) and --controllers selection.
// To add a controller: a folder under controllers/ with its reconcile loop, and one entry here.
import type { ControllerDescriptor } from './types.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { ResourceQuotaController } from './resourcequota/resource-quota-controller.js';

export const CONTROLLERS: readonly ControllerDescriptor[] = [
  {
    name: 'namespace',
    enabledByDefault: true,
    init: (ctx) => new NamespaceController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, workers: ctx.options.concurrentNamespaceSyncs,
    }),
  },
  {
    name: 'resourcequota',
    enabledByDefault: true,
    init: (ctx) => new ResourceQuotaController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger,
      workers: ctx.options.concurrentResourceQuotaSyncs, resyncMs: ctx.options.resourceQuotaSyncPeriodMs,
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
