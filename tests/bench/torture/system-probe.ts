import type { TimedApi } from './timed-api.js';
import type { ProgressSample } from './watchdog.js';

interface Clock {
  readonly now: string;
  readonly pendingTimers: number;
}

interface Metrics {
  readonly statesEntered: number;
  readonly dynamoOperations: Readonly<Record<string, number>>;
}

type Reading = { readonly status: number; readonly body: unknown } | { readonly error: string };

async function get(api: TimedApi, path: string, timeoutMs: number): Promise<Reading> {
  try {
    const { status, body } = await api.call(undefined, 'GET', path, undefined, timeoutMs);
    return { status, body };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const answered = <T>(reading: Reading): T | undefined => ('status' in reading && reading.status === 200 ? (reading.body as T) : undefined);

/**
 * The system's progress as the watchdog reads it: the clock's instant and pending timers, the
 * states entered and the DynamoDB operations served (each moves when anything gets done),
 * plus `extra` from the bench (answers received). Undefined when neither endpoint answers.
 */
export async function readProgress(api: TimedApi, timeoutMs: number, extra: string): Promise<ProgressSample | undefined> {
  const [clockReading, metricsReading] = await Promise.all([get(api, '/_local/clock', timeoutMs), get(api, '/_local/metrics', timeoutMs)]);
  const clock = answered<Clock>(clockReading);
  const metrics = answered<Metrics>(metricsReading);
  if (!clock && !metrics) return undefined;
  const operations = metrics ? Object.values(metrics.dynamoOperations).reduce((a, b) => a + b, 0) : undefined;
  const parts = [
    clock ? `clock ${clock.now}, ${clock.pendingTimers} timers pending` : 'clock not answering',
    metrics ? `${metrics.statesEntered} states entered, ${operations} DynamoDB operations` : 'metrics not answering',
    extra,
  ];
  return {
    fingerprint: JSON.stringify([clock?.now, clock?.pendingTimers, metrics?.statesEntered, operations, extra]),
    line: parts.filter(Boolean).join(', '),
  };
}

/**
 * What the system says about itself when the bench gives up: clock, metrics, and
 * `/_local/diagnostics` where the system has it (a 404 means it does not: skipped).
 */
export async function diagnosticsDump(api: TimedApi, timeoutMs: number): Promise<string[]> {
  const paths = ['/_local/clock', '/_local/metrics', '/_local/diagnostics'];
  const readings = await Promise.all(paths.map((path) => get(api, path, timeoutMs)));
  return paths.flatMap((path, i) => {
    const reading = readings[i]!;
    if ('error' in reading) return [reading.error];
    if (path === '/_local/diagnostics' && reading.status === 404) return [];
    return [`GET ${path} → ${reading.status} ${JSON.stringify(reading.body)}`];
  });
}
