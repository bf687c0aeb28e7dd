import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { type Alarm, AlarmStatusWidget, Dashboard as CwDashboard, GraphWidget, MathExpression, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/adapters/observability-names.js';
import type { BusinessMetric } from '../../functions/ports/business-metrics.js';

export interface DashboardProps {
  /** Every alarm of the service (infra/constructs/alarms.ts), shown with its state. */
  readonly alarms: readonly Alarm[];
  readonly api: RestApi;
  readonly lifecycle: StateMachine;
  /** The functions whose errors, throttles and durations are graphed. */
  readonly functions: readonly IFunction[];
}

const PERIOD = Duration.hours(1);

/**
 * One CloudWatch dashboard: the alarms and their state, the business counts Powertools
 * Metrics emits (docs/operations.md "Observability"), the API, the lifecycle executions and
 * the Lambda functions.
 */
export class Dashboard extends Construct {
  public readonly dashboard: CwDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const business = (name: BusinessMetric) => new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period: PERIOD });
    // Metric ids are unique per graph: each sum names its own (`errors0`, `throttles0`, ...).
    const fnSum = (pick: (f: IFunction) => Metric, label: string) => new MathExpression({
      expression: props.functions.map((_, i) => `${label}${i}`).join(' + ') || '0',
      usingMetrics: Object.fromEntries(props.functions.map((f, i) => [`${label}${i}`, pick(f)])),
      label,
      period: PERIOD,
    });
    this.dashboard = new CwDashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# Policy QC\nAlarms first; runbooks in docs/operations.md.', width: 24, height: 2 }),
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: Math.max(3, Math.ceil(props.alarms.length / 4) + 1) }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Lifecycle facts', left: (['Registrations', 'FailedRounds', 'CommissionHolds'] as const).map(business), width: 12 }),
      new GraphWidget({ title: 'Settlement and mail', left: (['SettlementLines', 'Forfeits', 'MailsSent'] as const).map(business), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests and errors', left: [props.api.metricCount({ period: PERIOD }), props.api.metricClientError({ period: PERIOD }), props.api.metricServerError({ period: PERIOD })], width: 8 }),
      new GraphWidget({ title: 'API latency p99', left: [props.api.metricLatency({ period: PERIOD, statistic: 'p99' })], width: 8 }),
      new GraphWidget({
        title: 'Lifecycle executions',
        left: [props.lifecycle.metricStarted({ period: PERIOD }), props.lifecycle.metricSucceeded({ period: PERIOD }), props.lifecycle.metricFailed({ period: PERIOD })],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Lambda errors and throttles (all functions)', left: [fnSum((f) => f.metricErrors({ period: PERIOD }), 'errors'), fnSum((f) => f.metricThrottles({ period: PERIOD }), 'throttles')], width: 12 }),
      new GraphWidget({ title: 'Lambda invocations (all functions)', left: [fnSum((f) => f.metricInvocations({ period: PERIOD }), 'invocations')], width: 12 }),
    );
  }
}
