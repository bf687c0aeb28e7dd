import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { type CfnPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { openApiDocument } from '../../functions/http/openapi-document.js';
import { CONSOLE_SCOPES, type ConsoleAuth } from './console-auth.js';
import { REPO_ROOT } from '../paths.js';
import type { ConsoleConfig } from '../../console/src/session.js';

const CONSOLE_DIR = join(REPO_ROOT, 'console');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * console-config.json as the console reads it (console/src/session.ts): on AWS, `apiBase` is
 * '' (the console's own origin: CloudFront routes `/v1/*` to the API, console-hosting.ts) and
 * `cognito` names the hosted UI, the issuer (region + pool) and the app client's exact
 * redirect URI and allowed scopes.
 */
export type DeployedConsoleConfig = ConsoleConfig & { readonly mode: 'cognito'; readonly apiBase: ''; readonly cognito: NonNullable<ConsoleConfig['cognito']> };

export interface ConsoleDeploymentProps {
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  readonly auth: ConsoleAuth;
  readonly domain: UserPoolDomain;
}

/**
 * Puts the console on its bucket at deploy time (no manual upload): the build of
 * console/write-dist.ts, made at synth into the asset; `console-config.json` naming the
 * stack's Cognito hosted UI, user pool and app client, with the client's callback URL and
 * scopes; `openapi.json`, the contract built from the same route table as the API. Files no
 * longer built are removed, and CloudFront is invalidated.
 */
export class ConsoleDeployment extends Construct {
  readonly deployment: BucketDeployment;
  readonly config: DeployedConsoleConfig;

  constructor(scope: Construct, id: string, props: ConsoleDeploymentProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    const redirectUri = props.auth.callbackUrl;
    if (!redirectUri) throw new Error('the console signs in through the hosted UI: ConsoleAuth needs a consoleUrl');
    this.config = {
      mode: 'cognito',
      apiBase: '',
      cognito: {
        domain: `${props.domain.domainName}.auth.${region}.amazoncognito.com`,
        clientId: props.auth.client.userPoolClientId,
        region,
        userPoolId: props.auth.userPool.userPoolId,
        // The same string as the client's callback URL: Cognito refuses any other redirect_uri.
        redirectUri,
        scope: CONSOLE_SCOPES.map((s) => s.scopeName).join(' '),
      },
    };
    // Our own role and log group: logs go to one group, without the AWS-managed basic execution policy.
    const logGroup = new LogGroup(this, 'HandlerLogs', { retention: RetentionDays.ONE_YEAR });
    const role = new Role(this, 'HandlerRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'Copies the console\'s files to its bucket and invalidates CloudFront' });
    logGroup.grantWrite(role);
    this.deployment = new BucketDeployment(this, 'Files', {
      destinationBucket: props.bucket,
      sources: [consoleBuild(), Source.jsonData('console-config.json', this.config), Source.jsonData('openapi.json', openApiDocument())],
      distribution: props.distribution,
      distributionPaths: ['/*'],
      role,
      logGroup,
    });
    acknowledgeConstructGrants(role);
  }
}

/** Why each wildcard the BucketDeployment construct grants (it offers no narrower form) is accepted. */
const GRANT_REASONS: readonly { actions: RegExp; reason: string }[] = [
  {
    actions: /^s3:(GetObject\*|GetBucket\*|List\*|DeleteObject\*|PutObject|PutObjectLegalHold|PutObjectRetention|PutObjectTagging|PutObjectVersionTagging|Abort\*)$/,
    reason: 'BucketDeployment grants itself read on the CDK asset bucket\'s objects and read/write on the console bucket\'s (it replaces every file and prunes those no longer built); the object names are the build\'s, so the grant is per bucket.',
  },
  {
    actions: /^cloudfront:(CreateInvalidation|GetInvalidation)$/,
    reason: 'BucketDeployment grants the CloudFront invalidation on Resource "*" (the construct does not scope it to the distribution); the handler invalidates only the distribution it is given.',
  },
];

/**
 * Acknowledges the IAM5 findings on the deployment handler's policy, each only when every action
 * of its statement is one BucketDeployment grants; anything else stays a finding. The handler's
 * runtime (L1) is the construct's own choice.
 */
function acknowledgeConstructGrants(role: Role): void {
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnPolicy | undefined;
  const doc = policy ? Stack.of(role).resolve(policy.policyDocument) as { Statement?: { Effect?: string; Action?: string | string[]; Resource?: unknown }[] } : {};
  const acks = new Map<string, string>();
  for (const statement of doc.Statement ?? []) {
    const actions = [statement.Action ?? []].flat();
    const reason = GRANT_REASONS.find((g) => actions.every((a) => g.actions.test(a)))?.reason;
    if (statement.Effect !== 'Allow' || !reason) continue;
    for (const action of actions.filter((a) => a.includes('*'))) acks.set(`AwsSolutions-IAM5[Action::${action}]`, reason);
    for (const resource of [statement.Resource ?? []].flat().map((r) => flattenCfnReference(r))) {
      if (resource.includes('*')) acks.set(`AwsSolutions-IAM5[Resource::${resource}]`, reason);
    }
  }
  Validations.of(role).acknowledge(...[...acks].map(([id, why]) => ({ id, reason: why })));
  const handler = Stack.of(role).node.children.find((c): c is LambdaFunction => c instanceof LambdaFunction && c.role === role);
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The BucketDeployment handler\'s runtime (Python, with the AWS CLI layer) is chosen and upgraded by aws-cdk-lib, not by this app.',
    });
  }
}

/**
 * The console built at synth (also in CI and on a clean checkout, where console/dist may not
 * exist), hashed by its output so an unchanged build is not uploaded again.
 */
function consoleBuild(): ISource {
  return Source.asset(CONSOLE_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build below always runs, on the Node.js that runs synth.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          execFileSync(process.execPath, [TSX_CLI, join(CONSOLE_DIR, 'write-dist.ts'), outputDir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
          return true;
        },
      },
    },
  });
}
