import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock, type Clock } from '../../../infra/local/clock/virtual-clock.js';
import { isCollected } from '../../support/gc.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const noSettle = async (): Promise<void> => undefined;

describe('VirtualClock', () => {
  it('is a Clock port and does not move by itself', async () => {
    const clock: Clock = new VirtualClock({ start: T0 });
    await new Promise((r) => setTimeout(r, 5));
    expect(clock.now()).toEqual(T0);
  });

  it('tells observers the instant at once and every time it moves, before the timers due then fire', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: number[] = [];
    clock.observe((ms) => seen.push(ms - T0.getTime()));
    let observedAtFire: number | undefined;
    clock.schedule(at(100), () => { observedAtFire = seen.at(-1); });
    await clock.advanceTo(at(250), noSettle);
    expect(seen).toEqual([0, 100, 250]);
    expect(observedAtFire).toBe(100);
  });

  it('fires due timers in due order, ties in schedule order, each at its own instant', async () => {
    const clock = new VirtualClock({ start: T0 });
    const log: string[] = [];
    const mark = (name: string) => () => void log.push(`${name}@${clock.now().getTime() - T0.getTime()}`);
    clock.schedule(at(300), mark('c'));
    clock.schedule(at(100), mark('a1'));
    clock.schedule(at(100), mark('a2'));
    clock.schedule(at(200), mark('b'));
    const late = clock.schedule(at(1000), mark('late'));
    const cancelled = clock.schedule(at(150), mark('cancelled'));
    clock.cancel(cancelled);
    await clock.advanceTo(at(500), noSettle);
    expect(log).toEqual(['a1@100', 'a2@100', 'b@200', 'c@300']);
    expect(clock.now()).toEqual(at(500));
    expect(clock.pendingTimers()).toBe(1);
    clock.cancel(late);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires timers scheduled while firing in the same call when due by the target, and settles after each', async () => {
    const clock = new VirtualClock({ start: T0 });
    const log: string[] = [];
    let settles = 0;
    clock.schedule(at(10), async () => {
      await Promise.resolve();
      log.push('first');
      clock.schedule(at(20), () => void log.push('chained'));
      clock.schedule(at(5_000), () => void log.push('beyond'));
    });
    await clock.advanceTo(at(100), async () => void settles++);
    expect(log).toEqual(['first', 'chained']);
    expect(settles).toBe(3); // before the first timer, then after each of the two
    await clock.advanceTo(at(5_000), noSettle);
    expect(log).toEqual(['first', 'chained', 'beyond']);
  });

  it('fires a timer scheduled in the past at the next advance without moving time back', async () => {
    const clock = new VirtualClock({ start: at(1000) });
    let firedAt: Date | undefined;
    clock.schedule(at(0), () => void (firedAt = clock.now()));
    await clock.advanceTo(at(1000), noSettle);
    expect(firedAt).toEqual(at(1000));
  });

  it('never goes back and serialises concurrent advances', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: number[] = [];
    for (const ms of [30, 10, 20]) clock.schedule(at(ms), () => void seen.push(ms));
    const a = clock.advanceTo(at(15), async () => new Promise((r) => setTimeout(r, 2)));
    const b = clock.advanceTo(at(40), noSettle);
    await Promise.all([a, b]);
    expect(seen).toEqual([10, 20, 30]);
    await expect(clock.advanceTo(at(39), noSettle)).rejects.toBeInstanceOf(RangeError);
    expect(clock.now()).toEqual(at(40));
    await clock.advanceTo(at(40), noSettle); // same instant is fine
  });

  it('keeps advancing when a timer throws, and reports the error at the end', async () => {
    const clock = new VirtualClock({ start: T0 });
    let after = false;
    clock.schedule(at(1), () => {
      throw new Error('boom');
    });
    clock.schedule(at(2), () => void (after = true));
    await expect(clock.advanceTo(at(3), noSettle)).rejects.toThrow('boom');
    expect(after).toBe(true);
    expect(clock.now()).toEqual(at(3));
  });

  it('persists atomically and resumes the persisted instant, never the earlier start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vclock-'));
    const file = join(dir, 'nested', 'clock.json');
    const first = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    expect(first.now()).toEqual(T0);
    first.schedule(at(86_400_000), () => undefined);
    await first.advanceTo(at(40 * 86_400_000), noSettle);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ now: at(40 * 86_400_000).toISOString(), phase: 'idle' });
    expect((await readdir(join(dir, 'nested'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const resumed = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    expect(resumed.now()).toEqual(at(40 * 86_400_000));
    await expect(resumed.advanceTo(T0, noSettle)).rejects.toBeInstanceOf(RangeError);
  });

  it('persists each instant before its timers fire: a crash while they fire resumes there, never behind what they recorded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vclock-'));
    const file = join(dir, 'clock.json');
    const first = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    const onDisk: string[] = [];
    first.schedule(at(7 * 86_400_000), async () => { onDisk.push((JSON.parse(await readFile(file, 'utf8')) as { now: string }).now); });
    // The next timer never finishes: the process is killed while it runs (after it recorded events at its instant).
    first.schedule(at(9 * 86_400_000), () => new Promise<void>(() => undefined));
    void first.advanceTo(at(20 * 86_400_000), noSettle);
    await new Promise((r) => setTimeout(r, 50));
    expect(onDisk).toEqual([at(7 * 86_400_000).toISOString()]);
    expect(first.now()).toEqual(at(9 * 86_400_000));
    const restarted = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    expect(restarted.now()).toEqual(at(9 * 86_400_000));
  });

  it('catches up after a restart: drains every timer due within the grace at the instant it resumed at, also those armed while draining', async () => {
    const clock = new VirtualClock({ start: at(1000) });
    const log: string[] = [];
    const mark = (name: string) => () => void log.push(`${name}@${clock.now().getTime() - T0.getTime()}`);
    clock.schedule(at(2000), mark('resumed-wait'));
    clock.schedule(at(1000), () => {
      mark('due-now')();
      // A wait re-armed by what the due timer started (a resumed execution's next state).
      clock.schedule(at(1500), () => {
        mark('re-armed')();
        clock.schedule(at(2000), mark('chained'));
      });
    });
    clock.schedule(at(5000), mark('later'));
    expect(await clock.catchUp(1000, noSettle)).toBe(4);
    expect(log).toEqual(['due-now@1000', 're-armed@1000', 'resumed-wait@1000', 'chained@1000']);
    expect(clock.now()).toEqual(at(1000));
    await clock.advanceTo(at(6000), noSettle);
    expect(log.at(-1)).toBe('later@5000');
  });

  it('fires a wait armed after the catch-up looked, due by its grace, at the restart instant without an advance', async () => {
    const clock = new VirtualClock({ start: at(1000) });
    const log: string[] = [];
    expect(await clock.catchUp(1000, noSettle)).toBe(0);
    // A resumed execution parks late: its overdue wait comes back armed a second after the restart.
    clock.schedule(at(2000), () => void log.push(`late-resumed@${clock.now().getTime() - T0.getTime()}`));
    clock.schedule(at(2001), () => void log.push('beyond-grace'));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['late-resumed@1000']);
    expect(clock.status()).toMatchObject({ phase: 'idle', pendingTimers: 1 });
    // Once time moves, the grace is over: a 1 s wait is a 1 s wait again.
    await clock.advanceTo(at(3000), noSettle);
    clock.schedule(at(4000), () => void log.push('one-second'));
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['late-resumed@1000', 'beyond-grace']);
    await clock.advanceTo(at(4000), noSettle);
    expect(log.at(-1)).toBe('one-second');
  });

  it('re-sending an advance to the instant it was cut at fires what fell due then, armed after the restart', async () => {
    const clock = new VirtualClock({ start: at(1000) });
    const log: string[] = [];
    clock.schedule(at(1000), () => {
      clock.schedule(at(1000), () => void log.push(`armed-while-firing@${clock.now().getTime() - T0.getTime()}`));
    });
    // Armed by settle (work started before the call) with a deadline already passed.
    let armed = false;
    const settle = async () => {
      if (armed) return;
      armed = true;
      clock.schedule(at(900), () => void log.push(`overdue@${clock.now().getTime() - T0.getTime()}`));
    };
    await clock.advanceTo(at(1000), settle);
    expect(log).toEqual(['overdue@1000', 'armed-while-firing@1000']);
  });

  it('writes the phase ahead: a restart knows an advance was cut, and shows it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vclock-'));
    const file = join(dir, 'clock.json');
    const first = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    first.schedule(at(5_000), () => new Promise<void>(() => undefined)); // killed while this fires
    void first.advanceTo(at(10_000), noSettle);
    await new Promise((r) => setTimeout(r, 30));
    expect(first.status()).toMatchObject({ now: at(5_000).toISOString(), phase: 'advancing', target: at(10_000).toISOString(), firing: at(5_000).toISOString(), dueTimers: 0 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ now: at(5_000).toISOString(), phase: 'advancing', target: at(10_000).toISOString() });
    const restarted = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    expect(restarted.interrupted).toEqual({ phase: 'advancing', target: at(10_000).toISOString() });
    expect(restarted.status()).toMatchObject({ now: at(5_000).toISOString(), phase: 'idle' });
  });

  it('opens at the newest recorded instant when the file lags, and refuses data without a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vclock-'));
    const file = join(dir, 'clock.json');
    await expect(VirtualClock.open({ persistFile: file, startIfNew: T0, requireFile: 'no clock file beside the data' })).rejects.toThrow('no clock file beside the data');
    const lagging = await VirtualClock.open({ persistFile: file, startIfNew: T0 });
    expect(lagging.now()).toEqual(T0);
    const reopened = await VirtualClock.open({ persistFile: file, startIfNew: T0, notBefore: at(3_000) });
    expect(reopened.now()).toEqual(at(3_000));
  });

  it('handles many timers and cancellations', async () => {
    const clock = new VirtualClock({ start: T0 });
    const ids: number[] = [];
    let fired = 0;
    for (let i = 0; i < 20_000; i++) ids.push(clock.schedule(at((i * 7919) % 100_000), () => void fired++));
    for (let i = 0; i < ids.length; i += 2) clock.cancel(ids[i]!);
    expect(clock.pendingTimers()).toBe(10_000);
    let last = -1;
    clock.schedule(at(100_000), () => void (last = clock.now().getTime()));
    await clock.advanceTo(at(200_000), noSettle);
    expect(fired).toBe(10_000);
    expect(last).toBe(at(100_000).getTime());
  });

  it('lets go of what a cancelled timer would have run at once, though its entry waits in the queue', async () => {
    const clock = new VirtualClock({ start: T0 });
    // A callback deadline's timer closes over its execution: the engine run, tokens, promises.
    const schedule = () => {
      const execution = { state: new Array(1000).fill('parked') };
      return { ref: new WeakRef(execution), id: clock.schedule(at(5_000), () => void execution.state.push('fired')) };
    };
    clock.schedule(at(1_000), () => undefined); // due earlier: the cancelled entry stays queued behind it
    const { ref, id } = schedule();
    clock.cancel(id);
    expect(await isCollected(ref)).toBe(true);
  });
});
