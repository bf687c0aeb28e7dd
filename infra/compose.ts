import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { ConsoleStack } from './stacks/console-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { StatelessStack, type StatelessStackProps } from './stacks/stateless-stack.js';

export interface ComposeOptions {
  /**
   * Run the cdk-nag AwsSolutions pack as a validation plugin (synth fails on any
   * unacknowledged finding).
   * @default true
   */
  readonly nag?: boolean;
  /**
   * Overrides for the stateless stack (tests point it at other workflow/handler folders).
   * @default - the repository's own folders and routes
   */
  readonly stateless?: Pick<StatelessStackProps, 'routes' | 'workflowsDir' | 'handlersDir'>;
}

export interface ComposedApp {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly console: ConsoleStack;
}

/** Builds the two stacks of the product into `app`, with the nag pack and its acknowledgements. */
export function composeApp(app: App, options: ComposeOptions = {}): ComposedApp {
  const config = readConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stateful = new StatefulStack(app, 'PolicyQcStateful', {
    env,
    description: 'Policy QC: table, key and audit archive (retained)',
    terminationProtection: true,
    archiveRetentionDays: config.archiveRetentionDays,
  });
  const stateless = new StatelessStack(app, 'PolicyQcStateless', {
    env,
    description: 'Policy QC: functions, workflows, API, mail, schedules, alarms',
    table: stateful.table,
    key: stateful.key,
    // A named export: the archive's ARN reads the same to the nag acknowledgements as in the template.
    archiveArn: stateful.exportValue(stateful.archive.bucketArn, { name: 'PolicyQcStateful-ArchiveBucketArn' }),
    config,
    ...options.stateless,
  });
  const console = new ConsoleStack(app, 'PolicyQcConsole', {
    env,
    description: 'Policy QC: the web console, its sign-in (Cognito) and the API for people',
    routes: stateless.routes,
    functionArns: new Map([...stateless.httpFunctions].map(([handler, fn]) => [handler, fn.functionArn])),
    throttle: config.apiThrottle,
  });
  // Its API's execution logs use the account's API Gateway logging role, which the IAM API sets up.
  console.addStackDependency(stateless);
  acknowledgeNagFindings({ stateful, stateless });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless, console };
}
