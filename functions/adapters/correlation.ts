import { AsyncLocalStorage } from 'node:async_hooks';

const correlation = new AsyncLocalStorage<string>();

/** Runs `work` with `id` as the correlation id of everything it does (logs, workflow inputs). */
export function withCorrelationId<T>(id: string, work: () => T): T {
  return correlation.run(id, work);
}

/** The correlation id of the invocation under way (the API request id that started it), if any. */
export function currentCorrelationId(): string | undefined {
  return correlation.getStore();
}
