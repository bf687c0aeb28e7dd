import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

// clock.json: the virtual clock's instant and what it was doing, written ahead of every move.

/** What the clock is doing: written ahead with the instant, so a restart can tell what was cut. */
export type ClockPhase = 'idle' | 'advancing' | 'catching-up';

export interface PersistedClock {
  now: string;
  phase?: ClockPhase;
  /** The instant the advance in progress moves to. */
  target?: string;
}

/** Atomic (temp file + rename), so a crash mid-write cannot leave a torn or empty file. */
export async function writeClockFile(file: string, body: PersistedClock): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(tmp, JSON.stringify(body) + '\n', 'utf8');
  await rename(tmp, file);
}

export async function readClockFile(file: string): Promise<{ now: Date; phase?: ClockPhase; target?: string } | undefined> {
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
  return { now: date, ...(parsed.phase ? { phase: parsed.phase } : {}), ...(parsed.target ? { target: parsed.target } : {}) };
}
