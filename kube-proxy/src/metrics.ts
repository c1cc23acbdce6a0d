// kube-proxy's Prometheus metrics (upstream names), rendered as text.
export class ProxyMetrics {
  lastSyncTimestamp = 0;
  lastSyncDurationSeconds = 0;
  syncs = 0;
  syncFailures = 0;
  rulesServices = 0;
  rulesEndpoints = 0;
  /** Endpoints change → rules applied, seconds (from the Endpoints' last-change-trigger-time). */
  private readonly programming: number[] = [];
  private readonly buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
  private readonly bucketCounts = new Array(this.buckets.length).fill(0) as number[];
  private programmingSum = 0;
  private programmingCount = 0;

  observeProgramming(seconds: number): void {
    this.programmingSum += seconds;
    this.programmingCount++;
    this.buckets.forEach((b, i) => { if (seconds <= b) this.bucketCounts[i]!++; });
    this.programming.push(seconds);
    if (this.programming.length > 1000) this.programming.shift();
  }

  /** The most recent programming-latency samples (seconds), oldest first (at most 1,000). */
  programmingSamples(): number[] { return [...this.programming]; }

  /** How many programming-latency samples were ever observed. */
  programmingObserved(): number { return this.programmingCount; }

  render(): string {
    const l: string[] = [];
    l.push('# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge');
    l.push(`kubeproxy_sync_proxy_rules_last_timestamp_seconds ${this.lastSyncTimestamp}`);
    l.push('# TYPE kubeproxy_sync_proxy_rules_duration_seconds_last gauge');
    l.push(`kubeproxy_sync_proxy_rules_duration_seconds_last ${this.lastSyncDurationSeconds}`);
    l.push('# TYPE kubeproxy_sync_proxy_rules_total counter');
    l.push(`kubeproxy_sync_proxy_rules_total{result="success"} ${this.syncs}`);
    l.push(`kubeproxy_sync_proxy_rules_total{result="error"} ${this.syncFailures}`);
    l.push('# TYPE kubeproxy_sync_proxy_rules_iptables_total gauge');
    l.push(`kubeproxy_sync_proxy_rules_service_ports ${this.rulesServices}`);
    l.push(`kubeproxy_sync_proxy_rules_endpoints ${this.rulesEndpoints}`);
    l.push('# TYPE kubeproxy_network_programming_duration_seconds histogram');
    this.buckets.forEach((b, i) => l.push(`kubeproxy_network_programming_duration_seconds_bucket{le="${b}"} ${this.bucketCounts[i]}`));
    l.push(`kubeproxy_network_programming_duration_seconds_bucket{le="+Inf"} ${this.programmingCount}`);
    l.push(`kubeproxy_network_programming_duration_seconds_sum ${this.programmingSum}`);
    l.push(`kubeproxy_network_programming_duration_seconds_count ${this.programmingCount}`);
    return `${l.join('\n')}\n`;
  }
}
