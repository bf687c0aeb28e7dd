/** What the watchdog reads from the system: a fingerprint that moves with any progress, and a line for the heartbeat. */
export interface ProgressSample {
  readonly fingerprint: string;
  readonly line: string;
}

export interface GiveUp {
  readonly kind: 'STALLED' | 'TIMED OUT';
  /** Where the run was, from `where()`. */
  readonly where: string;
  readonly reason: string;
}

export interface WatchdogOptions {
  /** No change of the fingerprint this long (outside a hold) gives up: STALLED. */
  readonly stallMs: number;
  /** The whole run's cap: TIMED OUT. */
  readonly maxMs: number;
  readonly heartbeatMs: number;
  /** How often the progress is read (a reading that does not answer counts as no change). */
  readonly sampleMs: number;
  /** Undefined when the system did not answer. */
  readonly sample: () => Promise<ProgressSample | undefined>;
  /** The run's position, e.g. `killed run: step 20/27 "clock → day 50"`. */
  readonly where: () => string;
  readonly log: (line: string) => void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

/**
 * Watches a run from outside it: reads the system's progress on a timer of its own (a hung
 * call in the run cannot hold it), prints a heartbeat, and gives up once nothing has moved
 * for `stallMs` or the run has lasted `maxMs`. It only decides; the caller dumps and kills.
 */
export class Watchdog {
  readonly gaveUp: Promise<GiveUp>;
  private giveUp: (verdict: GiveUp) => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private lastChangeAt = 0;
  private lastHeartbeatAt = 0;
  private fingerprint: string | undefined;
  private latest: ProgressSample | undefined;
  private sampling = false;
  private holds = 0;
  private done = false;

  constructor(private readonly options: WatchdogOptions) {
    this.gaveUp = new Promise((resolve) => { this.giveUp = resolve; });
  }

  start(): void {
    this.startedAt = this.lastChangeAt = this.lastHeartbeatAt = Date.now();
    this.timer = setInterval(() => this.tick(), this.options.sampleMs);
    this.tick();
  }

  stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }

  /**
   * Work bounded by its own timeout (a restart waits up to its start timeout) does not count
   * as a stall while it lasts; the run's cap still does.
   */
  async hold<T>(work: Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work;
    } finally {
      this.holds--;
      this.lastChangeAt = Date.now();
    }
  }

  private tick(): void {
    if (this.done) return;
    const now = Date.now();
    if (this.holds > 0) this.lastChangeAt = now;
    if (now - this.startedAt >= this.options.maxMs) return this.end('TIMED OUT', `the run took over ${seconds(this.options.maxMs)}`);
    if (now - this.lastChangeAt >= this.options.stallMs) return this.end('STALLED', `no progress for ${seconds(now - this.lastChangeAt)} (${this.latest?.line ?? 'the system never answered'})`);
    if (!this.sampling) void this.read();
  }

  private async read(): Promise<void> {
    this.sampling = true;
    try {
      const sample = await this.options.sample().catch(() => undefined);
      if (this.done) return;
      if (sample) {
        this.latest = sample;
        if (sample.fingerprint !== this.fingerprint) {
          this.fingerprint = sample.fingerprint;
          this.lastChangeAt = Date.now();
        }
      }
      // After a reading, so the heartbeat shows the system as it is now (a reading is bounded by its timeout).
      if (Date.now() - this.lastHeartbeatAt >= this.options.heartbeatMs) this.heartbeat(sample);
    } finally {
      this.sampling = false;
    }
  }

  private heartbeat(sample: ProgressSample | undefined): void {
    const now = Date.now();
    this.lastHeartbeatAt = now;
    const still = now - this.lastChangeAt >= this.options.sampleMs * 2 ? `, no progress for ${seconds(now - this.lastChangeAt)}` : '';
    this.options.log(`heartbeat: ${this.options.where()}, ${seconds(now - this.startedAt)} into the run, ${sample?.line ?? 'system not answering'}${still}`);
  }

  private end(kind: GiveUp['kind'], reason: string): void {
    this.stop();
    this.giveUp({ kind, where: this.options.where(), reason });
  }
}
