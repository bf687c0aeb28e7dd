import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { functionTimeoutSeconds } from '../function-timeouts.js';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ServiceFunction } from './service-function.js';

/** How often the sweep runs: a reminder goes out at most this long after it falls due. */
export const SPECIAL_REQUEST_SWEEP_MINUTES = 15;

export interface InboxSweepProps {
  readonly table: ITable;
  readonly key: IKey;
  readonly indexNames: readonly string[];
  readonly handlersDir: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly mail: { readonly identityArn: string; readonly configurationSetArn: string };
  readonly deadLetters: IQueue;
}

/**
 * The special-request sweep (docs/api.md, Work inboxes): every few minutes, the branch's notice
 * of each new request if it was lost, and the reminders of requests left undecided past the
 * rule set's SLA, each recorded in the policy's log and mailed once.
 */
export class InboxSweep extends Construct {
  public readonly sweeper: ServiceFunction;
  public readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: InboxSweepProps) {
    super(scope, id);
    this.sweeper = new ServiceFunction(this, 'SpecialRequestSweeper', {
      entry: join(props.handlersDir, 'workflow', 'sweep-special-requests.ts'),
      description: 'Notices and overdue reminders of special requests waiting for a branch decision',
      environment: props.environment,
      timeout: Duration.seconds(functionTimeoutSeconds('workflow/sweep-special-requests.ts')),
    });
    // Appends reminders to policy logs, re-projects their views and request entries, claims mail records.
    this.sweeper.bindTable(props.table, props.key, props.indexNames, 'RW');
    this.sweeper.allowSendMail(props.mail.identityArn, props.mail.configurationSetArn);
    this.schedule = new Schedule(this, 'SpecialRequestSweep', {
      description: `Special-request notices and reminders (every ${SPECIAL_REQUEST_SWEEP_MINUTES} minutes)`,
      schedule: ScheduleExpression.rate(Duration.minutes(SPECIAL_REQUEST_SWEEP_MINUTES)),
      target: new LambdaInvoke(this.sweeper, { deadLetterQueue: props.deadLetters, retryAttempts: 2, maxEventAge: Duration.minutes(SPECIAL_REQUEST_SWEEP_MINUTES) }),
    });
  }
}
