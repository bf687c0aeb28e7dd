/**
 * Knows when the local engine has nothing left to do, so the virtual clock may move on.
 * Real work (Lambda calls) is counted while in flight; everything else the engine does
 * between states runs in microtasks (its retry sleeps are zeroed by the host), so after
 * the work is done, a few event-loop turns with no new activity mean every execution is
 * parked (on a token or a virtual wait) or finished.
 */
export class ActivityMonitor {
  private readonly inflight = new Map<string, number>();
  private activity = 0;
  /** Activity of each key (execution) someone awaits with settleKey, so one execution can be
   * awaited while others keep working. Only awaited keys: events keep coming for a while
   * after an execution ended, and a counter for every key ever seen would grow without end. */
  private readonly watched = new Map<string, { activity: number; watchers: number }>();
  private readonly keyWaiters = new Map<string, (() => void)[]>();
  private idleWaiters: (() => void)[] = [];
  private readonly quietTurns: number;

  constructor(quietTurns = 3) {
    this.quietTurns = quietTurns;
  }

  /** Records that something happened (an engine event, a callback, a start). */
  bump(key?: string): void {
    this.activity++;
    const watch = key === undefined ? undefined : this.watched.get(key);
    if (watch) watch.activity++;
  }

  /** Keys (executions) it holds anything for: in flight or awaited. None once all is settled. */
  keysHeld(): number {
    return new Set([...this.inflight.keys(), ...this.watched.keys(), ...this.keyWaiters.keys()]).size;
  }

  /** Keys (executions) with work in flight. */
  busy(): number {
    return this.inflight.size;
  }

  /** The keys (executions) with work in flight, for diagnostics. */
  busyKeys(limit = 20): string[] {
    return [...this.inflight.keys()].slice(0, limit);
  }

  async track<T>(key: string, work: () => Promise<T>): Promise<T> {
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    this.bump(key);
    try {
      return await work();
    } finally {
      const left = (this.inflight.get(key) ?? 1) - 1;
      if (left > 0) this.inflight.set(key, left);
      else {
        this.inflight.delete(key);
        for (const wake of this.keyWaiters.get(key) ?? []) wake();
        this.keyWaiters.delete(key);
      }
      this.bump(key);
      if (this.inflight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /**
   * Resolves once nothing is in flight and a few turns pass with no activity. Every call it
   * waits for has a deadline of its own (the Lambda pool's); meanwhile, every `reportEveryMs`
   * it tells `report` what it still waits for, so a long wait is never silent.
   */
  async settle(report?: (waitingFor: { busy: number; keys: string[]; waitedMs: number }) => void, reportEveryMs = 30_000): Promise<void> {
    const started = Date.now();
    const reporter = report === undefined ? undefined : setInterval(() => {
      if (this.inflight.size > 0) report({ busy: this.inflight.size, keys: this.busyKeys(5), waitedMs: Date.now() - started });
    }, reportEveryMs);
    reporter?.unref();
    try {
      let quiet = 0;
      let seen = this.activity;
      while (quiet < this.quietTurns) {
        // Waiting for in-flight I/O by promise, not by spinning setImmediate.
        if (this.inflight.size > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
        else await new Promise<void>((r) => setImmediate(r));
        if (this.inflight.size === 0 && this.activity === seen) quiet++;
        else [quiet, seen] = [0, this.activity];
      }
    } finally {
      clearInterval(reporter);
    }
  }

  /** Like settle(), for one key: resolves once that execution is parked or finished. */
  async settleKey(key: string): Promise<void> {
    const watch = this.watched.get(key) ?? { activity: 0, watchers: 0 };
    watch.watchers++;
    this.watched.set(key, watch);
    try {
      let quiet = 0;
      let seen = watch.activity;
      while (quiet < this.quietTurns) {
        // Sleep on the key's own completion while it works, instead of spinning the event loop.
        if (this.inflight.has(key)) await new Promise<void>((r) => this.keyWaiters.set(key, [...(this.keyWaiters.get(key) ?? []), r]));
        else await new Promise<void>((r) => setImmediate(r));
        if (!this.inflight.has(key) && watch.activity === seen) quiet++;
        else [quiet, seen] = [0, watch.activity];
      }
    } finally {
      if (--watch.watchers === 0) this.watched.delete(key);
    }
  }
}
