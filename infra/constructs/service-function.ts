import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LOCK_FILE, REPO_ROOT } from '../paths.js';
import { DEFAULT_FUNCTION_TIMEOUT_SECONDS } from '../function-timeouts.js';

const LAMBDA_CREDENTIALS = join(REPO_ROOT, 'functions', 'adapters', 'lambda-credentials.ts');

export interface ServiceFunctionProps {
  /** Absolute path of the TypeScript entry file; it must export `handler`. */
  readonly entry: string;
  /**
   * What the function does (shown in the console).
   * @default - no description
   */
  readonly description?: string;
  /**
   * Environment variables, in addition to `NODE_OPTIONS=--enable-source-maps`.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Maximum run time of one invocation.
   * @default Duration.seconds(15)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB (CPU scales with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * How long the function's log group keeps its logs. The audit record lives in
   * DynamoDB and the S3 archive, so logs are operational only.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * The SDK clients beyond DynamoDB that the function may use: the others are left out of its
   * bundle (functions/adapters/dependencies-from-env.ts).
   * @default - both
   */
  readonly sdkClients?: { readonly workflow: boolean; readonly mail: boolean; readonly archive?: boolean };
}

/** Table access level: read-only (`R`) or read/write (`RW`). */
export type TableAccess = 'R' | 'RW';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/**
 * The one Lambda shape of the product: arm64, Node.js 22, ESM bundle built by the local
 * esbuild (no Docker) with source maps, X-Ray tracing, its own log group with a retention,
 * and its own role that starts with nothing but writing to that log group. Access is added
 * with the `bind*`/`allow*` methods, each naming the exact resources.
 */
export class ServiceFunction extends NodejsFunction {
  /** The function's own log group (explicit, so its retention is managed). */
  public readonly functionLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        minify: true,
        // External and without the sources (a fraction of the size; the code is in git): Node
        // reads the map at start because of --enable-source-maps.
        sourceMap: true,
        sourcesContent: false,
        // Left out of the bundle: the SDK clients the function may not use, and the SDK's
        // credential chain beyond the environment variables Lambda sets (lambda-credentials.ts).
        define: {
          'process.env.BUNDLE_OMITS_WORKFLOW_CLIENT': JSON.stringify(String(props.sdkClients ? !props.sdkClients.workflow : false)),
          'process.env.BUNDLE_OMITS_MAIL_CLIENT': JSON.stringify(String(props.sdkClients ? !props.sdkClients.mail : false)),
          'process.env.BUNDLE_OMITS_ARCHIVE_CLIENT': JSON.stringify(String(props.sdkClients ? !props.sdkClients.archive : false)),
        },
        esbuildArgs: { '--alias:@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS },
        target: 'node22',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Lets CommonJS dependencies inside the ESM bundle call require().
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        // The SDK is bundled at the exact version the code is tested with (its internals are
        // relied on: docs/operations.md "Pinned packages"), not taken from the runtime.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        // E-mail templates are files read beside the bundle (functions/notifications/render-template.ts).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -r "${inputDir}/functions/notifications/templates" "${outputDir}/templates"`,
            // The size of each bundle, at every synth (docs/operations.md "Lambda bundles").
            `echo "bundle ${id}: $(( $(wc -c < "${outputDir}/index.mjs") / 1024 )) KiB" >&2`,
          ],
        },
      },
    });
    this.functionLogGroup = logGroup;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
  }

  /** Sets `TABLE_NAME` and allows exactly the item operations of `access` on the table and its indexes. */
  public bindTable(table: ITable, key: IKey, indexNames: readonly string[], access: TableAccess): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    const resources = [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)];
    this.addToRolePolicy(
      new PolicyStatement({ actions: access === 'RW' ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ, resources }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: access === 'RW' ? [...KEY_READ, ...KEY_WRITE] : KEY_READ,
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Allows exactly `actions` on the table's items whose partition key starts with one of
   * `leadingKeys` (e.g. `ACCESS#` for the access log), nothing else of the table.
   */
  public allowTableItems(table: ITable, key: IKey, actions: readonly string[], leadingKeys: readonly string[]): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys.map((k) => `${k}*`) } },
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...KEY_READ, ...KEY_WRITE],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /** Allows `ses:SendEmail`/`SendRawEmail` from one identity through one configuration set, nothing else. */
  public allowSendMail(identityArn: string, configurationSetArn: string): void {
    this.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [identityArn, configurationSetArn],
      }),
    );
  }
}
