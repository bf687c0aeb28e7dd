import type { Dependencies } from '../../../functions/use-cases/dependencies.js';

/** The process died: thrown in place of a write, as if the Lambda (or `npm start`) was killed before it. */
export class Crash extends Error {
  override readonly name = 'Crash';
}

/** The writes a use case makes, port by port: a crash can fall between any two of them. */
const WRITES = {
  repository: ['appendEvent', 'project', 'saveToken', 'saveRequestLink'],
  workflow: ['startLifecycle', 'completeTask', 'failTask'],
  notifier: ['send'],
} as const;

export interface CrashingDependencies {
  readonly deps: Dependencies;
  /** Writes made so far (those refused by the crash excluded). */
  writes(): number;
  /** The writes each made, by port and method, in order. */
  readonly log: string[];
  /** After the crash: the restarted process writes normally. */
  disarm(): void;
}

/**
 * Wraps the ports so that the write after the first `crashAfter` writes throws Crash instead
 * of happening (and every later one too, until disarmed): everything written before the crash
 * stays, nothing after it happens. `Infinity` never crashes (the uninterrupted run).
 */
export function crashAfterWrites(inner: Dependencies, crashAfter: number): CrashingDependencies {
  let made = 0;
  let armed = true;
  const log: string[] = [];
  const wrap = <T extends object>(port: T, name: keyof typeof WRITES): T => {
    const writes = new Set<string>(WRITES[name]);
    return new Proxy(port, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (!writes.has(String(property))) return method.bind(target);
        return (...args: unknown[]) => {
          if (armed && made >= crashAfter) return Promise.reject(new Crash(`crashed before ${name}.${String(property)} (after ${made} writes)`));
          made++;
          log.push(`${name}.${String(property)}`);
          return method.apply(target, args);
        };
      },
    });
  };
  const deps: Dependencies = {
    ...inner,
    repository: wrap(inner.repository, 'repository'),
    workflow: wrap(inner.workflow, 'workflow'),
    notifier: wrap(inner.notifier, 'notifier'),
  };
  return { deps, writes: () => made, log, disarm: () => { armed = false; } };
}
