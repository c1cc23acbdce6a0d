// Builds the admission chain from the known plugins, in upstream's fixed order (mutating
// plugins all run before validating ones; within each phase the order below), honouring
// kube-apiserver's --enable-admission-plugins / --disable-admission-plugins (every k8ts
// plugin is on by default, as both are in upstream's default set).
import type { AdmissionAttributes, AdmissionChain, AtomicWrites, MutatingPlugin, ValidatingPlugin } from './types.js';

export interface ChainPlugins {
  mutating: MutatingPlugin[];
  validating: ValidatingPlugin[];
}

/** Plugin names accepted by the flags (upstream spells them this way). */
export const KNOWN_PLUGINS = ['DefaultTolerationSeconds', 'ResourceQuota'] as const;

export function buildChain(all: ChainPlugins, disabled: readonly string[] = [], close: () => void = () => {}): AdmissionChain {
  for (const d of disabled) {
    if (!(KNOWN_PLUGINS as readonly string[]).includes(d)) throw new Error(`admission plugin "${d}" is not known (known: ${KNOWN_PLUGINS.join(', ')})`);
  }
  const mutating = all.mutating.filter((p) => !disabled.includes(p.name));
  const validating = all.validating.filter((p) => !disabled.includes(p.name));
  return {
    close,
    plugins: [...mutating.map((p) => p.name), ...validating.map((p) => p.name)],
    async admit(a: AdmissionAttributes) {
      for (const p of mutating) await p.admit(a);
    },
    async validate(a: AdmissionAttributes, writes: AtomicWrites) {
      for (const p of validating) await p.validate(a, writes);
    },
  };
}
