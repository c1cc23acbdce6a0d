// DNS server counters in Prometheus text (CoreDNS-like names).
export class DnsMetrics {
  private readonly byRcode = new Map<string, number>();
  requests = 0;
  dropped = 0;

  observe(rcode: string): void {
    this.requests++;
    this.byRcode.set(rcode, (this.byRcode.get(rcode) ?? 0) + 1);
  }

  render(): string {
    const l = ['# TYPE k8ts_dns_requests_total counter', `k8ts_dns_requests_total ${this.requests}`, '# TYPE k8ts_dns_responses_total counter'];
    for (const [rc, n] of [...this.byRcode].sort()) l.push(`k8ts_dns_responses_total{rcode="${rc}"} ${n}`);
    l.push('# TYPE k8ts_dns_malformed_requests_total counter', `k8ts_dns_malformed_requests_total ${this.dropped}`);
    return `${l.join('\n')}\n`;
  }
}
