// A minimal Prometheus client: counters, gauges and histograms with labels, rendered in the
// text exposition format (version 0.0.4) for a component's /metrics.
//
// Contract: metric and label names are not validated beyond what the caller passes; label
// values are escaped (\\, \", \n). Series appear in the order first touched. Histograms use
// cumulative `le` buckets plus +Inf, `_sum` and `_count`, as client_golang renders them.
// Not handled: summaries, exemplars, the OpenMetrics format.

type Labels = Record<string, string>;

function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmt(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

interface Metric { render(): string }

abstract class Series<S> implements Metric {
  protected readonly series = new Map<string, { labels: Labels; value: S }>();
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  protected entry(labels: Labels, init: () => S): { labels: Labels; value: S } {
    const key = JSON.stringify(labels);
    let e = this.series.get(key);
    if (!e) this.series.set(key, e = { labels: { ...labels }, value: init() });
    return e;
  }
  protected header(): string {
    return `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
  }
  abstract render(): string;
}

export class Counter extends Series<number> {
  constructor(name: string, help: string) { super(name, help, 'counter'); }
  inc(labels: Labels = {}, by = 1): void { this.entry(labels, () => 0).value += by; }
  get(labels: Labels = {}): number { return this.series.get(JSON.stringify(labels))?.value ?? 0; }
  render(): string {
    let out = this.header();
    for (const { labels, value } of this.series.values()) out += `${this.name}${labelText(labels)} ${fmt(value)}\n`;
    return out;
  }
}

export class Gauge extends Series<number> {
  constructor(name: string, help: string, private readonly collect?: (set: (labels: Labels, v: number) => void) => void) { super(name, help, 'gauge'); }
  set(labels: Labels, v: number): void { this.entry(labels, () => 0).value = v; }
  get(labels: Labels = {}): number { return this.series.get(JSON.stringify(labels))?.value ?? 0; }
  render(): string {
    this.collect?.((l, v) => this.set(l, v));
    let out = this.header();
    for (const { labels, value } of this.series.values()) out += `${this.name}${labelText(labels)} ${fmt(value)}\n`;
    return out;
  }
}

interface HistogramState { counts: number[]; sum: number; count: number }

/** `start`, start×factor, … (count buckets), as prometheus.ExponentialBuckets. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0, b = start; i < count; i++, b *= factor) out.push(b);
  return out;
}

export class Histogram extends Series<HistogramState> {
  private readonly buckets: number[];
  constructor(name: string, help: string, buckets: number[]) {
    super(name, help, 'histogram');
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(labels: Labels, v: number): void {
    const s = this.entry(labels, () => ({ counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 })).value;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) { s.counts[i]!++; break; }
    s.sum += v;
    s.count++;
  }
  /** Cumulative count of observations ≤ each bucket bound, and the total. */
  snapshot(labels: Labels): { buckets: Array<[number, number]>; sum: number; count: number } | undefined {
    const s = this.series.get(JSON.stringify(labels))?.value;
    if (!s) return undefined;
    let acc = 0;
    return { buckets: this.buckets.map((b, i) => [b, acc += s.counts[i]!] as [number, number]), sum: s.sum, count: s.count };
  }
  render(): string {
    let out = this.header();
    for (const { labels, value } of this.series.values()) {
      let acc = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        acc += value.counts[i]!;
        out += `${this.name}_bucket${labelText(labels, ['le', fmt(this.buckets[i]!)])} ${acc}\n`;
      }
      out += `${this.name}_bucket${labelText(labels, ['le', '+Inf'])} ${value.count}\n`;
      out += `${this.name}_sum${labelText(labels)} ${fmt(value.sum)}\n`;
      out += `${this.name}_count${labelText(labels)} ${value.count}\n`;
    }
    return out;
  }
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];
  register<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  /** The text exposition of every registered metric. */
  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
}

/** Parses Prometheus text into samples (name with labels as written → value); for tests and benchmarks. */
export function parsePrometheusText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const sp = line.lastIndexOf(' ');
    const v = line.slice(sp + 1);
    out.set(line.slice(0, sp), v === '+Inf' ? Infinity : Number(v));
  }
  return out;
}
