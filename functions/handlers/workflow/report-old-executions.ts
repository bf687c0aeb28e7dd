import { type ExecutionListItem, paginateListExecutions, SFNClient } from '@aws-sdk/client-sfn';

/**
 * Daily (EventBridge Scheduler): counts executions of one state machine that have been
 * RUNNING longer than MAX_AGE_DAYS and publishes the count as a CloudWatch metric through
 * the Embedded Metric Format (one JSON log line, no CloudWatch client needed). An alarm on
 * that metric tells operators a lifecycle is stuck before AWS's one-year limit bites.
 *
 * Environment: STATE_MACHINE_ARN, MAX_AGE_DAYS (default 70), METRIC_NAMESPACE, METRIC_NAME.
 */

export interface OldExecutionsReport {
  readonly stateMachineName: string;
  readonly running: number;
  readonly olderThanThreshold: number;
  /** Up to 20 of the oldest over-age executions, for the operator reading the log. */
  readonly oldest: readonly { readonly executionArn: string; readonly startDate: string }[];
}

export interface ReporterDeps {
  /** Every RUNNING execution of the state machine. */
  readonly listRunning: (stateMachineArn: string) => AsyncIterable<ExecutionListItem>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const DAY_MS = 86_400_000;

export function makeHandler(deps: ReporterDeps): () => Promise<OldExecutionsReport> {
  return async () => {
    const arn = deps.env.STATE_MACHINE_ARN;
    if (!arn) throw new Error('STATE_MACHINE_ARN is not set');
    const maxAgeDays = Number(deps.env.MAX_AGE_DAYS ?? '70');
    const namespace = deps.env.METRIC_NAMESPACE ?? 'PolicyQc';
    const metricName = deps.env.METRIC_NAME ?? 'ExecutionsOlderThanThreshold';
    const stateMachineName = arn.split(':').at(-1) ?? arn;
    const now = deps.now();
    const cutoff = now.getTime() - maxAgeDays * DAY_MS;

    let running = 0;
    const old: { executionArn: string; startDate: Date }[] = [];
    for await (const execution of deps.listRunning(arn)) {
      running += 1;
      if (execution.startDate && execution.startDate.getTime() < cutoff) {
        old.push({ executionArn: execution.executionArn ?? '', startDate: execution.startDate });
      }
    }
    old.sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
    const report: OldExecutionsReport = {
      stateMachineName,
      running,
      olderThanThreshold: old.length,
      oldest: old.slice(0, 20).map((e) => ({ executionArn: e.executionArn, startDate: e.startDate.toISOString() })),
    };
    deps.log(
      JSON.stringify({
        _aws: {
          Timestamp: now.getTime(),
          CloudWatchMetrics: [
            { Namespace: namespace, Dimensions: [['StateMachineName']], Metrics: [{ Name: metricName, Unit: 'Count' }] },
          ],
        },
        StateMachineName: stateMachineName,
        [metricName]: report.olderThanThreshold,
        maxAgeDays,
        running,
        oldest: report.oldest,
      }),
    );
    return report;
  };
}

const sfn = new SFNClient({});

async function* listRunning(stateMachineArn: string): AsyncIterable<ExecutionListItem> {
  for await (const page of paginateListExecutions({ client: sfn }, { stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000 })) {
    yield* page.executions ?? [];
  }
}

export const handler = makeHandler({
  listRunning,
  now: () => new Date(),
  log: (line) => console.log(line),
  env: process.env,
});
