import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The custom metric the old-executions reporter emits (CloudWatch Embedded Metric Format). */
export const OLD_EXECUTIONS_METRIC = {
  namespace: 'PolicyQc',
  metricName: 'ExecutionsOlderThanThreshold',
  dimension: 'StateMachineName',
  thresholdDays: 70,
} as const;

export interface AlarmsProps {
  /** Every state machine: failed, timed-out and aborted executions. */
  readonly machines: readonly StateMachine[];
  /** The lifecycle machine: executions running longer than the threshold. */
  readonly lifecycle: StateMachine;
  readonly api: RestApi;
  readonly deadLetters: IQueue;
  readonly oldExecutionsReporter: IFunction;
  /** Addresses notified when an alarm fires. */
  readonly emails: readonly string[];
}

/** Alarms on what must never go unnoticed, all notifying one SNS topic. */
export class Alarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Policy QC alarms', enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));

    for (const machine of props.machines) {
      const name = machine.node.id;
      this.add(`${name}Failed`, machine.metricFailed({ period: Duration.minutes(5) }), 'executions failed');
      this.add(`${name}TimedOut`, machine.metricTimedOut({ period: Duration.minutes(5) }), 'executions timed out');
      this.add(`${name}Aborted`, machine.metricAborted({ period: Duration.minutes(5) }), 'executions aborted');
    }
    this.add('Api5xx', props.api.metricServerError({ period: Duration.minutes(5) }), 'API answered 5xx');
    this.add(
      'ScheduleDeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'schedule deliveries dead-lettered',
    );
    const old = new Metric({
      namespace: OLD_EXECUTIONS_METRIC.namespace,
      metricName: OLD_EXECUTIONS_METRIC.metricName,
      dimensionsMap: { [OLD_EXECUTIONS_METRIC.dimension]: props.lifecycle.stateMachineName },
      statistic: 'Maximum',
      period: Duration.days(1),
    });
    this.add('LifecycleOlderThan70Days', old, `lifecycle executions running > ${OLD_EXECUTIONS_METRIC.thresholdDays} days`);
    this.add(
      'OldExecutionsReporterErrors',
      props.oldExecutionsReporter.metricErrors({ period: Duration.days(1) }),
      'the old-executions reporter failed',
    );
  }

  private add(id: string, metric: IMetric, what: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Policy QC: ${what}`,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
