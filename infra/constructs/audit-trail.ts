import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { functionTimeoutSeconds } from '../function-timeouts.js';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUARTER_REPORT_HOUR } from '../../functions/domain/reporting-period.js';
import { ServiceFunction } from './service-function.js';
import { SCHEDULE_TIME_ZONE } from './schedules.js';

export interface AuditTrailProps {
  readonly table: ITable;
  readonly key: IKey;
  /** Names of the table's indexes (the quarterly reporter reads the sparse `falseContact` one). */
  readonly indexNames: readonly string[];
  /** The lifecycle state machine's execution log group (level ALL, no execution data). */
  readonly lifecycleLogGroup: ILogGroup;
  /** Folder of the Lambda entry points. */
  readonly handlersDir: string;
  /** The contract environment every function gets. */
  readonly environment: Readonly<Record<string, string>>;
  /** SES identity and configuration set the quarterly report is sent through. */
  readonly mail: { readonly identityArn: string; readonly configurationSetArn: string };
  /** Where failed schedule deliveries go (alarmed on). */
  readonly deadLetters: IQueue;
}

/**
 * The audit trail's moving parts on AWS: the workflow step history fed from the lifecycle's
 * CloudWatch execution logs (subscription filter → Lambda → the policy's partition), and the
 * quarterly false-contact report e-mailed to compliance at 09:00 Asia/Shanghai on the first
 * day of each quarter.
 */
export class AuditTrail extends Construct {
  public readonly stepRecorder: ServiceFunction;
  public readonly stepSubscription: SubscriptionFilter;
  public readonly quarterlyReporter: ServiceFunction;
  public readonly quarterlyReport: Schedule;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    this.stepRecorder = new ServiceFunction(this, 'WorkflowStepRecorder', {
      entry: join(props.handlersDir, 'workflow', 'record-workflow-steps.ts'),
      description: 'Records lifecycle workflow steps from the execution logs into the policy partitions',
      environment: props.environment,
      timeout: Duration.seconds(functionTimeoutSeconds('workflow/record-workflow-steps.ts')),
    });
    // Reads the last step of an execution and writes step items, in policy partitions only.
    this.stepRecorder.allowTableItems(props.table, props.key, ['dynamodb:Query', 'dynamodb:BatchWriteItem'], ['P#']);
    // CloudWatch Logs invokes asynchronously: a batch still failing after the retries (its
    // predecessor never came, the table was down) is kept in the alarmed dead-letter queue.
    this.stepRecorder.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(props.deadLetters) });
    this.stepSubscription = new SubscriptionFilter(this, 'LifecycleSteps', {
      logGroup: props.lifecycleLogGroup,
      destination: new LambdaDestination(this.stepRecorder),
      // Every line: the function keeps execution and state events and drops the rest.
      filterPattern: FilterPattern.allEvents(),
    });

    this.quarterlyReporter = new ServiceFunction(this, 'QuarterlyReporter', {
      entry: join(props.handlersDir, 'workflow', 'send-quarterly-reports.ts'),
      description: 'At each quarter\'s close: the false-contact summary to compliance and the integrity threshold mails to branch managers, once each',
      environment: props.environment,
      timeout: Duration.seconds(functionTimeoutSeconds('workflow/send-quarterly-reports.ts')),
    });
    this.quarterlyReporter.bindTable(props.table, props.key, props.indexNames, 'R');
    // Claims, marks and gives back its mail's dispatch record (MAIL#<id>), nothing else of the table.
    this.quarterlyReporter.allowTableItems(props.table, props.key, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], ['MAIL#']);
    this.quarterlyReporter.allowSendMail(props.mail.identityArn, props.mail.configurationSetArn);
    this.quarterlyReport = new Schedule(this, 'QuarterlyFalseContactReport', {
      description: 'Quarterly false-contact summary to compliance (09:00 Asia/Shanghai on the first day of each quarter)',
      schedule: ScheduleExpression.cron({ minute: '0', hour: String(QUARTER_REPORT_HOUR), day: '1', month: '1,4,7,10', year: '*', timeZone: SCHEDULE_TIME_ZONE }),
      target: new LambdaInvoke(this.quarterlyReporter, {
        deadLetterQueue: props.deadLetters,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
        input: ScheduleTargetInput.fromObject({ source: 'schedule', scheduledTime: ContextAttribute.scheduledTime }),
      }),
    });
  }
}
