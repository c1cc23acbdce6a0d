// The scheduler's Prometheus metrics, named and bucketed as upstream's:
//   scheduler_schedule_attempts_total{result,profile}              counter
//     result: scheduled | unschedulable | error
//   scheduler_scheduling_attempt_duration_seconds{result,profile}  histogram, 1 ms × 2^0..14
//     (from the start of the attempt to the end of the bind for scheduled pods)
//   scheduler_scheduling_algorithm_duration_seconds                histogram, 1 ms × 2^0..14
//     (filter + score of one pod, without the bind: the scheduler's own cost)
//   scheduler_pending_pods{queue}                                 gauge: active | backoff | unschedulable | gated
import { Counter, exponentialBuckets, Gauge, Histogram, MetricsRegistry } from '@k8ts/shared';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics {
  readonly registry = new MetricsRegistry();
  readonly attempts: Counter;
  readonly attemptDuration: Histogram;
  readonly algorithmDuration: Histogram;
  private pendingSource: () => Record<string, number> = () => ({ active: 0, backoff: 0, unschedulable: 0 });

  constructor(readonly profile = 'default-scheduler') {
    this.attempts = this.registry.register(new Counter('scheduler_schedule_attempts_total',
      'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.'));
    this.attemptDuration = this.registry.register(new Histogram('scheduler_scheduling_attempt_duration_seconds',
      'Scheduling attempt latency in seconds (scheduling algorithm + binding)', exponentialBuckets(0.001, 2, 15)));
    this.algorithmDuration = this.registry.register(new Histogram('scheduler_scheduling_algorithm_duration_seconds',
      'Scheduling algorithm latency in seconds', exponentialBuckets(0.001, 2, 15)));
    this.registry.register(new Gauge('scheduler_pending_pods',
      "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
      (set) => {
        const c = this.pendingSource();
        for (const q of ['active', 'backoff', 'unschedulable']) set({ queue: q }, c[q] ?? 0);
        set({ queue: 'gated' }, 0);
      }));
  }

  /** Where scheduler_pending_pods reads from (the current term's queue). */
  setPendingSource(fn: () => Record<string, number>): void { this.pendingSource = fn; }

  observeAttempt(result: AttemptResult, seconds: number): void {
    const labels = { result, profile: this.profile };
    this.attempts.inc(labels);
    this.attemptDuration.observe(labels, seconds);
  }

  observeAlgorithm(seconds: number): void {
    this.algorithmDuration.observe({}, seconds);
  }

  render(): string { return this.registry.render(); }
}
