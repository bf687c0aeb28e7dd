import type { Clock } from '../../../functions/ports/clock.js';

/**
 * The virtual clock's instant in shared memory, so Lambda handlers running in worker threads
 * read the same business time as the engine that fires the timers (main thread writes, workers read).
 */
export class SharedInstant implements Clock {
  private readonly view: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.view = new BigInt64Array(buffer);
  }

  set(ms: number): void {
    Atomics.store(this.view, 0, BigInt(ms));
  }

  now(): Date {
    return new Date(Number(Atomics.load(this.view, 0)));
  }
}
