import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { AnyRoute } from '../../functions/http/route-definition.js';
import { ROUTES } from '../../functions/http/routes.js';
import type { AppConfig } from '../config.js';
import { ServiceFunction, type ServiceFunctionProps } from '../constructs/service-function.js';
import { Dashboard } from '../constructs/dashboard.js';
import { HANDLERS_DIR, WORKFLOWS_DIR } from '../paths.js';
import { Alarms, OLD_EXECUTIONS_METRIC } from '../constructs/alarms.js';
import { Api } from '../constructs/api.js';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AuditTrail } from '../constructs/audit-trail.js';
import { InboxSweep } from '../constructs/inbox-sweep.js';
import { grantHttpAccess, sdkClientsOf } from '../constructs/http-access.js';
import { ArchiveJobs } from '../constructs/archive-jobs.js';
import { type SettlementTarget, Schedules } from '../constructs/schedules.js';
import { TABLE_INDEXES } from './stateful-stack.js';

import { allowSettlementChaining, allowSettlementStart, settlementStepFunction } from '../constructs/settlement-functions.js';
import { invokeGrant, pascalCase, stateMachineName, type Substitution, Workflows } from '../constructs/workflows.js';
import { liveAliasArn } from '../constructs/live-alias.js';
import { functionTimeoutSeconds } from '../function-timeouts.js';

export interface StatelessStackProps extends StackProps {
  /** The single table (from the stateful stack). */
  readonly table: ITable;
  /** The table's customer-managed key. */
  readonly key: IKey;
  readonly config: AppConfig;
  /** ARN of the Object Lock archive bucket (stateful stack, encrypted with `key`): anchors and exported histories. */
  readonly archiveArn?: string;
  /**
   * The routes to serve.
   * @default ROUTES of functions/http/routes.ts
   */
  readonly routes?: readonly AnyRoute[];
  /**
   * Folder of the ASL files.
   * @default the repository's workflows/
   */
  readonly workflowsDir?: string;
  /**
   * Folder of the Lambda entry points (`http/<handler>.ts`, `workflow/<name>.ts`).
   * @default the repository's functions/handlers/
   */
  readonly handlersDir?: string;
}

/** Name of the lifecycle workflow file (`workflows/policy-lifecycle.asl.json`). */
export const LIFECYCLE = 'policy-lifecycle';
/** Name of the settlement workflow file, deployed and scheduled when it exists. */
export const SETTLEMENT = 'monthly-settlement';

/** Compute, workflows, API, mail, schedules and alarms: replaceable without data loss. */
export class StatelessStack extends Stack {
  public readonly httpFunctions: ReadonlyMap<string, ServiceFunction>;
  /** The routes served (the console stack serves people's among them). */
  public readonly routes: readonly AnyRoute[];
  public readonly workflowStep: ServiceFunction;
  /** The settlement's page and summary steps (invoked by the settlement state machine). */
  public readonly settlementStep: ServiceFunction;
  /** The schedule's target: starts a month's settlement execution under its per-month name. */
  public readonly settlementStarter?: ServiceFunction;
  public readonly workflows: Workflows;
  public readonly api: Api;
  /** People's sign-in (Cognito user pool, groups = roles) and the API they call with it. */
  public readonly schedules: Schedules;
  public readonly auditTrail: AuditTrail;
  public readonly inboxSweep: InboxSweep;
  /** The daily anchor job and its schedule (when the archive bucket is given). */
  public readonly archiveJobs?: ArchiveJobs;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, key, config } = props;
    const routes = props.routes ?? ROUTES;
    this.routes = routes;
    const handlers = props.handlersDir ?? HANDLERS_DIR;

    const configurationSet = new ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const identity = new EmailIdentity(this, 'MailIdentity', {
      identity: Identity.email(config.mailFrom),
      configurationSet,
    });
    const configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    // Computed, not referenced: the lifecycle definition names the workflow-step function,
    // so a reference back from that function's environment would be a dependency cycle.
    const lifecycleArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName(this.stackName, LIFECYCLE),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const settlementArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName(this.stackName, SETTLEMENT),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const env: Record<string, string> = {
      AUTH_MODE: 'iam',
      // Executions start through each machine's `live` alias (the version it routes to); their
      // ARNs stay under the machine (functions/adapters/stepfunctions/execution-arn.ts).
      LIFECYCLE_STATE_MACHINE_ARN: liveAliasArn(lifecycleArn),
      SETTLEMENT_STATE_MACHINE_ARN: liveAliasArn(settlementArn),
      IAM_ROLE_PREFIX: config.iamRolePrefix,
      MAIL_FROM: config.mailFrom,
      MAIL_CONFIGURATION_SET: configurationSet.configurationSetName,
      BRANCH_MANAGER_EMAILS: JSON.stringify(config.branchManagerEmails),
      COMPLIANCE_EMAILS: config.complianceEmails.join(','),
      DEFAULT_RULE_SET: config.ruleSet,
    };
    const fn = (cid: string, entry: string, description: string, timeout?: Duration, sdkClients?: ServiceFunctionProps['sdkClients']): ServiceFunction =>
      new ServiceFunction(this, cid, { entry, description, environment: env, timeout, sdkClients });

    this.workflowStep = fn('WorkflowStep', join(handlers, 'workflow', 'workflow-step.ts'), 'Lifecycle steps', Duration.seconds(functionTimeoutSeconds('workflow/workflow-step.ts')));
    this.workflowStep.bindTable(table, key, TABLE_INDEXES, 'RW');
    this.workflowStep.allowSendMail(identity.emailIdentityArn, configurationSetArn);
    allowTaskCompletion(this.workflowStep);

    this.settlementStep = settlementStepFunction(this, { entry: join(handlers, 'workflow', 'settlement-step.ts'), environment: env });
    this.settlementStep.bindTable(table, key, TABLE_INDEXES, 'RW');
    this.settlementStep.allowSendMail(identity.emailIdentityArn, configurationSetArn);
    allowSettlementChaining(this.settlementStep, stateMachineName(this.stackName, SETTLEMENT));

    const substitutions: Record<string, Substitution> = {
      WorkflowStepFunctionArn: { value: this.workflowStep.functionArn, grant: invokeGrant(this.workflowStep.functionArn) },
      SettlementStepFunctionArn: { value: this.settlementStep.functionArn, grant: invokeGrant(this.settlementStep.functionArn) },
    };
    this.workflows = new Workflows(this, 'Workflows', {
      dir: props.workflowsDir ?? WORKFLOWS_DIR,
      namePrefix: this.stackName,
      substitutions,
      canary: config.workflowCanary,
    });
    const lifecycle = this.workflows.machines.get(LIFECYCLE);
    const lifecycleLive = this.workflows.live.get(LIFECYCLE);
    if (!lifecycle || !lifecycleLive) throw new Error(`workflows/${LIFECYCLE}.asl.json is missing`);
    const settlementLive = this.workflows.live.get(SETTLEMENT);

    const archive = props.archiveArn ? Bucket.fromBucketAttributes(this, 'ArchiveBucket', { bucketArn: props.archiveArn, encryptionKey: key }) : undefined;
    const httpFunctions = new Map<string, ServiceFunction>();
    const accessTargets = {
      table,
      key,
      indexNames: TABLE_INDEXES,
      lifecycle: lifecycleLive,
      ...(settlementLive ? { settlement: { machineArn: settlementLive.machineArn, aliasArn: settlementLive.aliasArn, name: stateMachineName(this.stackName, SETTLEMENT) } } : {}),
      mail: { identityArn: identity.emailIdentityArn, configurationSetArn },
      ...(archive ? { archive, archiveRetentionDays: config.archiveRetentionDays } : {}),
    };
    for (const route of routes) {
      if (httpFunctions.has(route.handler)) throw new Error(`two routes share the handler ${route.handler}`);
      const f = fn(pascalCase(route.handler), join(handlers, 'http', `${route.handler}.ts`), `HTTP ${route.handler}`, undefined, sdkClientsOf(route.access));
      grantHttpAccess(f, route.handler, route.access, accessTargets);
      httpFunctions.set(route.handler, f);
    }
    this.httpFunctions = httpFunctions;

    this.api = new Api(this, 'Api', {
      routes,
      functions: httpFunctions,
      rolePrefix: config.iamRolePrefix,
      throttle: config.apiThrottle,
    });

    const reporter = new ServiceFunction(this, 'OldExecutionsReporter', {
      entry: join(handlers, 'workflow', 'report-old-executions.ts'),
      description: `Counts lifecycle executions running > ${OLD_EXECUTIONS_METRIC.thresholdDays} days (EMF metric)`,
      timeout: Duration.minutes(5),
      environment: {
        STATE_MACHINE_ARN: lifecycle.stateMachineArn,
        MAX_AGE_DAYS: String(OLD_EXECUTIONS_METRIC.thresholdDays),
        METRIC_NAMESPACE: OLD_EXECUTIONS_METRIC.namespace,
        METRIC_NAME: OLD_EXECUTIONS_METRIC.metricName,
      },
    });
    reporter.addToRolePolicy(
      new PolicyStatement({ actions: ['states:ListExecutions'], resources: [lifecycle.stateMachineArn] }),
    );

    const target = this.settlementTarget(handlers, env, table, key);
    if (target?.kind === 'function') this.settlementStarter = target.fn as ServiceFunction;
    this.schedules = new Schedules(this, 'Schedules', {
      settlement: target,
      settlementLocalTime: config.settlementLocalTime,
      oldExecutionsReporter: reporter,
    });

    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      table,
      key,
      indexNames: TABLE_INDEXES,
      lifecycleLogGroup: this.workflows.logGroups.get(LIFECYCLE) as LogGroup,
      handlersDir: handlers,
      environment: env,
      mail: { identityArn: identity.emailIdentityArn, configurationSetArn },
      deadLetters: this.schedules.deadLetters,
    });

    this.inboxSweep = new InboxSweep(this, 'InboxSweep', {
      table,
      key,
      indexNames: TABLE_INDEXES,
      handlersDir: handlers,
      environment: env,
      mail: { identityArn: identity.emailIdentityArn, configurationSetArn },
      deadLetters: this.schedules.deadLetters,
    });

    if (archive) {
      this.archiveJobs = new ArchiveJobs(this, 'ArchiveJobs', {
        table, key, indexNames: TABLE_INDEXES, archive, handlersDir: handlers, environment: env, deadLetters: this.schedules.deadLetters, retentionDays: config.archiveRetentionDays,
      });
    }

    const alarms = new Alarms(this, 'Alarms', {
      machines: [...this.workflows.machines.values()] as StateMachine[],
      lifecycle,
      api: this.api.restApi,
      deadLetters: this.schedules.deadLetters,
      oldExecutionsReporter: reporter,
      emails: config.alarmEmails,
    });
    new Dashboard(this, 'Dashboard', {
      alarms: alarms.alarms,
      api: this.api.restApi,
      lifecycle,
      functions: this.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction),
    });
  }

  /**
   * The starter Lambda when its file exists (it names each execution per month and attempt,
   * which the scheduler cannot, and applies the ordering rules of POST /v1/settlements),
   * else the settlement workflow itself, else none.
   */
  private settlementTarget(handlers: string, env: Record<string, string>, table: ITable, key: IKey): SettlementTarget | undefined {
    const machine = this.workflows.machines.get(SETTLEMENT);
    const live = this.workflows.live.get(SETTLEMENT);
    const entry = join(handlers, 'workflow', 'start-settlement.ts');
    if (!existsSync(entry)) return machine ? { kind: 'state-machine', machine } : undefined;
    const starter = new ServiceFunction(this, 'StartSettlement', {
      entry,
      description: 'Starts the monthly settlement (schedule target)',
      environment: env,
      timeout: Duration.seconds(functionTimeoutSeconds('workflow/start-settlement.ts')),
    });
    starter.bindTable(table, key, TABLE_INDEXES, 'RW');
    if (live) allowSettlementStart(starter, live, stateMachineName(this.stackName, SETTLEMENT));
    return { kind: 'function', fn: starter };
  }
}

/** Task tokens are not resources: SendTaskSuccess/Failure cannot be scoped to a machine. */
function allowTaskCompletion(f: ServiceFunction): void {
  f.addToRolePolicy(
    new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] }),
  );
}
