import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TimerHeap } from './timer-heap.js';

/** The product's clock port: all business time is read through `now()`. */
export interface Clock {
  now(): Date;
}

type Fire = () => void | Promise<void>;
const CANCELLED: Fire = () => undefined;

interface Timer {
  id: number;
  dueMs: number;
  /** Schedule order: breaks ties between timers due at the same instant. */
  seq: number;
  fire: Fire;
}

interface PersistedClock {
  now: string;
}

/**
 * Local mode's business time. Globals (setTimeout, Date) stay real so HTTP servers, SDK
 * retries and dynalite keep working; only workflow waits and callback deadlines follow this
 * clock, and it moves only when told to (advanceTo). It never goes back, also across
 * restarts when a persist file is given: each instant is persisted before time moves to it
 * (write-ahead), so nothing can be recorded at an instant the file does not already hold, and
 * a restart resumes at the instant whose timers were firing, never behind the log.
 */
export class VirtualClock implements Clock {
  private nowMs: number;
  /** The instant on disk: always at or after nowMs. */
  private persistedMs: number | undefined;
  private readonly persistFile: string | undefined;
  /** Live timers by id; the heap may still hold cancelled ones, skipped when they surface. */
  private readonly timers = new Map<number, Timer>();
  private readonly heap = new TimerHeap<Timer>();
  private nextId = 1;
  private nextSeq = 1;
  /** Tail of the advanceTo queue: advances run one after another, never interleaved. */
  private queue: Promise<void> = Promise.resolve();
  private readonly observers: ((ms: number) => void)[] = [];

  constructor(opts: { start: Date; persistFile?: string }) {
    const ms = opts.start.getTime();
    if (Number.isNaN(ms)) throw new RangeError('VirtualClock: invalid start date');
    this.nowMs = ms;
    this.persistFile = opts.persistFile;
  }

  /** Resumes the persisted instant if the file exists, else starts at `startIfNew`. */
  static async open(opts: { persistFile: string; startIfNew: Date }): Promise<VirtualClock> {
    let start = opts.startIfNew;
    const persisted = await readPersisted(opts.persistFile);
    // Resume, never jump back: a later startIfNew is ignored too, since time moves only by advanceTo.
    if (persisted !== undefined) start = persisted;
    const clock = new VirtualClock({ start, persistFile: opts.persistFile });
    await clock.persist(clock.nowMs);
    return clock;
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Calls `observer` with the instant now and whenever time moves (e.g. to share it with worker threads). */
  observe(observer: (ms: number) => void): void {
    this.observers.push(observer);
    observer(this.nowMs);
  }

  /** Persists the instant first, then moves: a crash in between leaves the file ahead, never behind. */
  private async moveTo(ms: number): Promise<void> {
    if (ms === this.nowMs) return;
    await this.persist(ms);
    this.nowMs = ms;
    for (const observer of this.observers) observer(ms);
  }

  /** Runs `fire` when the clock passes `at`. A past `at` fires on the next advanceTo. */
  schedule(at: Date, fire: Fire): number {
    const dueMs = at.getTime();
    if (Number.isNaN(dueMs)) throw new RangeError('VirtualClock.schedule: invalid date');
    const id = this.nextId++;
    const timer: Timer = { id, dueMs, seq: this.nextSeq++, fire };
    this.timers.set(id, timer);
    this.heap.push(timer);
    return id;
  }

  cancel(id: number): void {
    const timer = this.timers.get(id);
    this.timers.delete(id);
    if (!timer) return;
    // Cancelled entries stay in the heap until they surface: without its callback an entry is
    // a few numbers, not the execution, tokens and promises the callback closes over.
    timer.fire = CANCELLED;
    // Compact so a long run of completed callbacks (each cancelling its deadline) keeps memory flat.
    if (this.heap.size > 2 * this.timers.size + 1024) this.heap.reset(this.timers.values());
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Moves time forward to `target`, firing every timer due on the way in due order (ties in
   * schedule order), each at its own instant, and awaiting `settle()` after each so that the
   * work a timer triggers (which may schedule further timers) is done before time moves on.
   * Timer errors do not stop the advance; they are rethrown together at the end.
   */
  advanceTo(target: Date, settle: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => this.runAdvance(target.getTime(), settle));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runAdvance(targetMs: number, settle: () => Promise<void>): Promise<void> {
    if (Number.isNaN(targetMs)) throw new RangeError('VirtualClock.advanceTo: invalid date');
    if (targetMs < this.nowMs) {
      throw new RangeError(
        `VirtualClock.advanceTo: ${new Date(targetMs).toISOString()} is before now ${this.now().toISOString()}`,
      );
    }
    const errors: unknown[] = [];
    // Work started before this call (e.g. an execution just started) may still schedule timers due before target.
    await settle();
    for (let timer = this.earliestDue(targetMs); timer; timer = this.earliestDue(targetMs)) {
      // Every timer due at this same instant fires before the settle: on AWS they run
      // concurrently too, and settling after each would serialise thousands of lifecycles.
      const instant = timer.dueMs;
      await this.moveTo(Math.max(this.nowMs, instant));
      for (let due = this.earliestDue(instant); due && due.dueMs === instant; due = this.earliestDue(instant)) {
        this.heap.pop();
        this.timers.delete(due.id);
        try {
          await due.fire();
        } catch (e) {
          errors.push(e);
        }
      }
      await settle();
    }
    await this.moveTo(targetMs);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'VirtualClock: timers failed while advancing');
  }

  /**
   * After a restart: fires, at the instant the clock resumed at, the timers now due within
   * `graceMs` (in due order), then settles. A restart in the middle of an advance resumes at the
   * instant whose timers were firing; the waits that fell due then are re-armed by the resumed
   * executions at that instant or, Step Functions' wait being at least a second, just after it.
   * Only the timers armed before the call fire, so a wait re-armed by one of them waits its turn.
   */
  catchUp(graceMs: number, settle: () => Promise<void>): Promise<number> {
    const run = this.queue.then(async () => {
      await settle();
      const limit = this.nowMs + graceMs;
      const due = [...this.timers.values()].filter((t) => t.dueMs <= limit).sort((x, y) => x.dueMs - y.dueMs || x.seq - y.seq);
      const errors: unknown[] = [];
      for (const timer of due) {
        if (!this.timers.delete(timer.id)) continue; // cancelled by an earlier one
        try {
          await timer.fire();
        } catch (e) {
          errors.push(e);
        }
      }
      await settle();
      if (errors.length > 0) throw new AggregateError(errors, 'VirtualClock: timers failed while catching up');
      return due.length;
    });
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private earliestDue(targetMs: number): Timer | undefined {
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (!this.timers.has(top.id)) {
        this.heap.pop(); // cancelled
        continue;
      }
      return top.dueMs <= targetMs ? top : undefined;
    }
    return undefined;
  }

  /** Atomic (temp file + rename), so a crash mid-write cannot leave a torn or empty file. */
  private async persist(ms: number): Promise<void> {
    if (this.persistFile === undefined || this.persistedMs === ms) return;
    const body: PersistedClock = { now: new Date(ms).toISOString() };
    const tmp = `${this.persistFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(dirname(this.persistFile), { recursive: true });
    await writeFile(tmp, JSON.stringify(body) + '\n', 'utf8');
    await rename(tmp, this.persistFile);
    this.persistedMs = ms;
  }
}

async function readPersisted(file: string): Promise<Date | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<PersistedClock>;
  const date = typeof parsed.now === 'string' ? new Date(parsed.now) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`VirtualClock: corrupt clock file ${file}`);
  return date;
}
