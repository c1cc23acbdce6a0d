export { startKubeProxy, type KubeProxy, type KubeProxyOptions } from './proxier.js';
export { renderRules, type RenderOptions, type RenderedRules } from './rules/render.js';
export { buildServiceModel, type ServicePortRule, type ServiceModel } from './rules/service-model.js';
export { RuleApplier } from './iptables/apply.js';
export { parseKubeProxyFlags } from './flags.js';
