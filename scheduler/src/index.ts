export { start, type Scheduler, type SchedulerOptions } from './scheduler.js';
export { parseSchedulerFlags, type SchedulerFlags } from './flags.js';
export { SchedulingLoop } from './scheduling-loop.js';
export { SchedulingQueue } from './queue/scheduling-queue.js';
export { SchedulerCache } from './cache/scheduler-cache.js';
export { Framework, numFeasibleNodesToFind } from './framework/framework.js';
export { FitError } from './framework/fit-error.js';
export { SchedulerMetrics } from './metrics.js';
