// A binary heap keyed by string, with O(log n) push, pop, update and delete by key
// (upstream's internal/heap). `less(a, b)` true means a comes out first.
// Contract: push of an existing key replaces the item (re-sifted); delete of an unknown key
// is a no-op.

export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly keyOf: (t: T) => string, private readonly less: (a: T, b: T) => boolean) {}

  get size(): number { return this.items.length; }

  has(key: string): boolean { return this.index.has(key); }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined { return this.items[0]; }

  push(item: T): void {
    const key = this.keyOf(item);
    const at = this.index.get(key);
    if (at !== undefined) {
      this.items[at] = item;
      this.fix(at);
      return;
    }
    this.items.push(item);
    this.keys.push(key);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0]!;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const item = this.items[i]!;
    this.removeAt(i);
    return item;
  }

  values(): T[] { return [...this.items]; }

  private removeAt(i: number): void {
    const last = this.items.length - 1;
    this.index.delete(this.keys[i]!);
    if (i !== last) {
      this.items[i] = this.items[last]!;
      this.keys[i] = this.keys[last]!;
      this.index.set(this.keys[i]!, i);
    }
    this.items.pop();
    this.keys.pop();
    if (i < this.items.length) this.fix(i);
  }

  private fix(i: number): void {
    if (!this.down(i)) this.up(i);
  }

  private swap(i: number, j: number): void {
    const it = this.items[i]!; this.items[i] = this.items[j]!; this.items[j] = it;
    const k = this.keys[i]!; this.keys[i] = this.keys[j]!; this.keys[j] = k;
    this.index.set(this.keys[i]!, i);
    this.index.set(this.keys[j]!, j);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.items[i]!, this.items[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** true when the item moved. */
  private down(i0: number): boolean {
    let i = i0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      if (l + 1 < n && this.less(this.items[l + 1]!, this.items[l]!)) c = l + 1;
      if (!this.less(this.items[c]!, this.items[i]!)) break;
      this.swap(i, c);
      i = c;
    }
    return i > i0;
  }
}
