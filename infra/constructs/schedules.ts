import { Duration, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** What the monthly settlement schedule starts: the settlement workflow, or a starter Lambda. */
export type SettlementTarget =
  | { readonly kind: 'state-machine'; readonly machine: IStateMachine }
  | { readonly kind: 'function'; readonly fn: IFunction };

export interface SchedulesProps {
  /** The settlement target, or none while neither the workflow nor the starter exists. */
  readonly settlement?: SettlementTarget;
  /** Local time of the settlement run on the 20th (Asia/Shanghai). */
  readonly settlementLocalTime: { readonly hour: number; readonly minute: number };
  /** The daily reporter of executions older than the threshold. */
  readonly oldExecutionsReporter: IFunction;
}

/** The time zone of every schedule: the business runs on China Standard Time. */
export const SCHEDULE_TIME_ZONE = TimeZone.ASIA_SHANGHAI;

/**
 * EventBridge Scheduler schedules (the monthly settlement on the 20th, the daily report of
 * over-age executions) with one encrypted dead-letter queue for deliveries that fail.
 */
export class Schedules extends Construct {
  /** Receives schedule deliveries that failed after retries; alarmed on. */
  public readonly deadLetters: Queue;
  public readonly settlement?: Schedule;
  public readonly oldExecutionsReport: Schedule;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const delivery = { deadLetterQueue: this.deadLetters, retryAttempts: 5, maxEventAge: Duration.hours(6) };
    const input = ScheduleTargetInput.fromObject({ source: 'schedule', scheduledTime: ContextAttribute.scheduledTime });

    if (props.settlement) {
      const target =
        props.settlement.kind === 'state-machine'
          ? new StepFunctionsStartExecution(props.settlement.machine, { ...delivery, input })
          : new LambdaInvoke(props.settlement.fn, { ...delivery, input });
      this.settlement = new Schedule(this, 'MonthlySettlement', {
        description: 'Monthly commission settlement on the 20th (Asia/Shanghai)',
        schedule: ScheduleExpression.cron({
          minute: String(props.settlementLocalTime.minute),
          hour: String(props.settlementLocalTime.hour),
          day: '20',
          month: '*',
          year: '*',
          timeZone: SCHEDULE_TIME_ZONE,
        }),
        target,
      });
    }

    this.oldExecutionsReport = new Schedule(this, 'OldExecutionsReport', {
      description: 'Daily count of lifecycle executions running longer than the threshold',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '8', timeZone: SCHEDULE_TIME_ZONE }),
      target: new LambdaInvoke(props.oldExecutionsReporter, { ...delivery, input }),
    });
  }
}
