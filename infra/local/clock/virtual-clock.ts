import { TimerHeap } from './timer-heap.js';
import { type ClockPhase, type PersistedClock, readClockFile, writeClockFile } from './clock-file.js';

export type { ClockPhase } from './clock-file.js';

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

export interface ClockStatus {
  readonly now: string;
  readonly phase: ClockPhase;
  readonly target?: string;
  /** The instant whose timers are firing now, if any. */
  readonly firing?: string;
  readonly pendingTimers: number;
  /** Timers due by the target (or by now when idle): what an advance still has to fire. */
  readonly dueTimers: number;
}

/** Chained catch-up rounds beyond this are left to the next advance: a guard against a wait re-armed forever. */
const MAX_CATCH_UP_ROUNDS = 1000;

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
  private phase: ClockPhase = 'idle';
  private targetMs: number | undefined;
  private firingMs: number | undefined;
  /** After a restart, until time moves: timers due by this instant count as due now (see catchUp). */
  private holdUntilMs: number | undefined;
  /** The settle of the last advance or catch-up, reused when a timer armed while idle is already due. */
  private lastSettle: (() => Promise<void>) | undefined;
  private kickQueued = false;
  /** Hears the errors of timers fired outside any advance (a due timer armed while idle). */
  onBackgroundError: (error: unknown) => void = () => undefined;

  constructor(opts: { start: Date; persistFile?: string }) {
    const ms = opts.start.getTime();
    if (Number.isNaN(ms)) throw new RangeError('VirtualClock: invalid start date');
    this.nowMs = ms;
    this.persistFile = opts.persistFile;
  }

  /**
   * Resumes the persisted instant if the file exists, else starts at `startIfNew`; never before
   * `notBefore`. `requireFile` is the message to refuse with when the file is missing (there is
   * data, so starting at `startIfNew` would put new facts before recorded ones).
   */
  static async open(opts: { persistFile: string; startIfNew: Date; notBefore?: Date; requireFile?: string }): Promise<VirtualClock> {
    let start = opts.startIfNew;
    const persisted = await readClockFile(opts.persistFile);
    if (persisted === undefined && opts.requireFile !== undefined) throw new Error(opts.requireFile);
    // Resume, never jump back: a later startIfNew is ignored too, since time moves only by advanceTo.
    if (persisted !== undefined) start = persisted.now;
    if (opts.notBefore && opts.notBefore > start) start = opts.notBefore;
    const clock = new VirtualClock({ start, persistFile: opts.persistFile });
    clock.interrupted = persisted?.phase !== undefined && persisted.phase !== 'idle' ? { phase: persisted.phase, ...(persisted.target ? { target: persisted.target } : {}) } : undefined;
    await clock.persist(clock.nowMs, true);
    return clock;
  }

  /** At start-up, before any timer: resumes no earlier than `instant` (the newest time the data records). */
  async resumeAtLeast(instant: Date): Promise<void> {
    if (this.phase !== 'idle' || this.timers.size > 0) throw new Error('VirtualClock.resumeAtLeast: only before any timer is armed');
    if (instant.getTime() > this.nowMs) await this.moveTo(instant.getTime());
  }

  /** What the previous process was doing when it stopped, if it stopped mid-advance or mid-catch-up. */
  interrupted: { phase: ClockPhase; target?: string } | undefined;

  status(): ClockStatus {
    const dueBy = this.targetMs ?? this.nowMs;
    let due = 0;
    for (const timer of this.timers.values()) if (timer.dueMs <= dueBy) due++;
    return {
      now: this.now().toISOString(),
      phase: this.phase,
      ...(this.targetMs !== undefined ? { target: new Date(this.targetMs).toISOString() } : {}),
      ...(this.firingMs !== undefined ? { firing: new Date(this.firingMs).toISOString() } : {}),
      pendingTimers: this.timers.size,
      dueTimers: due,
    };
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
    this.holdUntilMs = undefined;
    for (const observer of this.observers) observer(ms);
  }

  /** Runs `fire` when the clock reaches `at`. A past `at` fires at the current instant on the next advance or catch-up. */
  schedule(at: Date, fire: Fire): number {
    const dueMs = at.getTime();
    if (Number.isNaN(dueMs)) throw new RangeError('VirtualClock.schedule: invalid date');
    const id = this.nextId++;
    const timer: Timer = { id, dueMs, seq: this.nextSeq++, fire };
    this.timers.set(id, timer);
    this.heap.push(timer);
    // Already due while nothing drains (e.g. a resumed wait armed after the catch-up looked):
    // it fires now, not at the next advance, however late it was armed.
    if (this.phase === 'idle' && dueMs <= (this.holdUntilMs ?? this.nowMs)) this.kick();
    return id;
  }

  private kick(): void {
    const settle = this.lastSettle;
    if (this.kickQueued || settle === undefined) return;
    this.kickQueued = true;
    const run = this.queue.then(async () => {
      this.kickQueued = false;
      const { errors } = await this.drainHeld(this.holdUntilMs ?? this.nowMs, settle);
      for (const error of errors) this.onBackgroundError(error);
    });
    this.queue = run.catch((error: unknown) => this.onBackgroundError(error));
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
   * Moves time forward to `target` by one drain loop: settle; take the earliest timer due by
   * the target; move to its instant (or stay, if it is overdue); fire every timer due by then,
   * ties in schedule order; repeat until none is due. A timer armed while draining is seen by
   * the next turn, so nothing due by the target is left behind however late it was armed.
   * Timer errors do not stop the advance; they are rethrown together at the end.
   */
  advanceTo(target: Date, settle: () => Promise<void>): Promise<void> {
    this.lastSettle = settle;
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
    await this.enter('advancing', targetMs);
    try {
      const errors = await this.drain(targetMs, settle, 'move');
      await this.moveTo(targetMs);
      throwAll(errors, 'advancing');
    } finally {
      await this.enter('idle', undefined);
    }
  }

  /**
   * After a restart: drains, at the instant the clock resumed at, every timer due by then or
   * within `graceMs` after it (a resumed wait whose deadline has passed is armed for Step
   * Functions' shortest wait, one second), including those armed while catching up. Time
   * does not move. Until it does, a timer armed that is due by then fires at once too: a resumed
   * execution may park its overdue wait after the catch-up looked. Returns how many timers fired.
   */
  catchUp(graceMs: number, settle: () => Promise<void>): Promise<number> {
    this.lastSettle = settle;
    const run = this.queue.then(async () => {
      this.holdUntilMs = this.nowMs + graceMs;
      const { fired, errors } = await this.drainHeld(this.holdUntilMs, settle);
      throwAll(errors, 'catching up');
      return fired;
    });
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  /** A drain at the current instant (time does not move), with the phase written around it. */
  private async drainHeld(limitMs: number, settle: () => Promise<void>): Promise<{ fired: number; errors: unknown[] }> {
    await this.enter('catching-up', this.nowMs);
    try {
      const fired = { count: 0 };
      const errors = await this.drain(limitMs, settle, 'hold', fired);
      return { fired: fired.count, errors };
    } finally {
      await this.enter('idle', undefined);
    }
  }

  /** The one drain loop of advances and catch-ups (see advanceTo); `hold` fires everything at the current instant. */
  private async drain(limitMs: number, settle: () => Promise<void>, mode: 'move' | 'hold', fired = { count: 0 }): Promise<unknown[]> {
    const errors: unknown[] = [];
    await settle();
    let rounds = 0;
    for (let timer = this.earliestDue(limitMs); timer; timer = this.earliestDue(limitMs)) {
      if (mode === 'hold' && ++rounds > MAX_CATCH_UP_ROUNDS) {
        errors.push(new Error(`VirtualClock: still re-arming due timers after ${MAX_CATCH_UP_ROUNDS} catch-up rounds; the rest fire at the next advance`));
        break;
      }
      // Every timer due at this instant fires before the settle: on AWS they run concurrently
      // too, and settling after each would serialise thousands of lifecycles.
      const instant = mode === 'hold' ? this.nowMs : Math.max(this.nowMs, timer.dueMs);
      await this.moveTo(instant);
      this.firingMs = instant;
      const upTo = mode === 'hold' ? limitMs : instant;
      for (let due = this.earliestDue(upTo); due; due = this.earliestDue(upTo)) {
        this.heap.pop();
        this.timers.delete(due.id);
        fired.count++;
        try {
          await due.fire();
        } catch (e) {
          errors.push(e);
        }
      }
      await settle();
      this.firingMs = undefined;
    }
    return errors;
  }

  /** Writes the phase ahead (with the instant), so a restart knows an advance was cut. */
  private async enter(phase: ClockPhase, targetMs: number | undefined): Promise<void> {
    this.phase = phase;
    this.targetMs = targetMs;
    this.firingMs = undefined;
    await this.persist(this.nowMs, true);
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

  private async persist(ms: number, force = false): Promise<void> {
    if (this.persistFile === undefined || (this.persistedMs === ms && !force)) return;
    const body: PersistedClock = {
      now: new Date(ms).toISOString(),
      phase: this.phase,
      ...(this.targetMs !== undefined ? { target: new Date(this.targetMs).toISOString() } : {}),
    };
    await writeClockFile(this.persistFile, body);
    this.persistedMs = ms;
  }
}

function throwAll(errors: unknown[], doing: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `VirtualClock: timers failed while ${doing}`);
}
