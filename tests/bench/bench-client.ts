import { LocalApi, type ApiResponse } from '../support/local-api.js';

/** The test client, timing every business API call for p50/p99. */
export class TimedApi extends LocalApi {
  readonly latenciesMs: number[] = [];

  /** The contract is the e2e tests' to check; here it would only cost the driver CPU. */
  constructor(baseUrl: string) {
    super(baseUrl, { checkContract: false });
  }

  override async call<T = Record<string, unknown>>(credential: string | undefined, method: string, path: string, body?: unknown, rawBody?: string): Promise<ApiResponse<T>> {
    const started = performance.now();
    const response = await super.call<T>(credential, method, path, body, rawBody);
    if (!path.startsWith('/_local/')) this.latenciesMs.push(performance.now() - started);
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status} ${response.text}`);
    return response;
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Runs `work` over items with at most `limit` in flight. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}
