/** Min-heap of timers ordered by (dueMs, seq): the clock may hold tens of thousands of
 * parked deadlines, so finding the next due one must not scan them all. */
export interface HeapEntry {
  id: number;
  dueMs: number;
  seq: number;
}

export class TimerHeap<T extends HeapEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  /** Replaces the content (used to drop cancelled entries in bulk). */
  reset(items: Iterable<T>): void {
    this.items.length = 0;
    for (const item of items) this.push(item);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && less(a[l]!, a[m]!)) m = l;
      if (r < a.length && less(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }
}

function less(x: HeapEntry, y: HeapEntry): boolean {
  return x.dueMs < y.dueMs || (x.dueMs === y.dueMs && x.seq < y.seq);
}
