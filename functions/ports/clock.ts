/** The one source of time (docs/architecture.md §2): the system clock on AWS, a virtual clock locally. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let activeClock: Clock = systemClock;

/** Local mode installs its virtual clock here once at start-up; nothing else calls this. */
export function useClock(clock: Clock): void {
  activeClock = clock;
}

export const clock: Clock = { now: () => activeClock.now() };
