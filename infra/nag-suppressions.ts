import { Aspects, CfnResource, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import type { CfnStage } from 'aws-cdk-lib/aws-apigateway';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { ServiceFunction } from './constructs/service-function.js';
import type { StatefulStack } from './stacks/stateful-stack.js';
import type { StatelessStack } from './stacks/stateless-stack.js';

/**
 * Every cdk-nag (AwsSolutions) finding this app accepts, each with its reason. Anything not
 * acknowledged here fails `cdk synth`.
 */

/**
 * Actions that may be granted on a wildcard resource, and why. A wildcard finding
 * (`AwsSolutions-IAM5[Resource::…]`) is acknowledged only when every action of its
 * statement is listed here with a `resource` pattern the flattened resource matches;
 * any other wildcard stays an error.
 */
const WILDCARD_GRANTS: readonly { actions: readonly string[]; resource: RegExp; reason: string }[] = [
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
    resource: /^\*$/,
    reason: 'X-Ray trace upload has no resource-level permissions (AWS requires Resource "*"); tracing is on for every function and state machine.',
  },
  {
    actions: [
      'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
    ],
    resource: /^\*$/,
    reason: 'Step Functions execution logging uses CloudWatch Logs vended-log delivery, whose actions have no resource-level permissions (AWS requires Resource "*").',
  },
  {
    actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
    resource: /^\*$/,
    reason: 'SendTaskSuccess/SendTaskFailure act on a task token, which is not an IAM resource: they cannot be scoped to a state machine. Tokens never leave the system (docs/architecture.md §1).',
  },
  {
    actions: ['execute-api:Invoke'],
    // …:<api>/<stage>/<METHOD>/v1/…/*/… — the only wildcards are whole path segments.
    resource: /^arn:(<AWS::Partition>|aws[a-z-]*):execute-api:[^*]+:<[^>]+>\/<[^>]+>\/(GET|POST|PUT|DELETE)\/v1(\/([A-Za-z0-9-]+|\*))+$/,
    reason: 'Each "*" stands for one path parameter ({policyId}, {requestId}, {kind}, {itemId}) of a route this API role may call; API, stage, method and every literal segment are fixed. Per-policy scoping is the handler\'s job (an agent may act only on own policies).',
  },
  {
    actions: ['states:DescribeExecution'],
    resource: /^arn:(<AWS::Partition>|aws[a-z-]*):states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\d{12}):execution:[A-Za-z0-9-]+-monthly-settlement:\*$/,
    reason: 'Executions of the settlement state machine are named per month and attempt (settlement-YYYY-MM-N) and created at run time: the grant names that one machine, the "*" is the execution name.',
  },
  {
    actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'],
    resource: /^PolicyQcStateful-ArchiveBucketArn\/(anchors|anchor-index|policies)\/\*$/,
    reason: 'Archived objects are named by anchor and policy at run time: the grant names one key prefix of the Object Lock archive; deletion is denied to everyone by the bucket policy and prevented by COMPLIANCE retention.',
  },
  {
    actions: ['lambda:InvokeFunction'],
    resource: /^<[A-Za-z0-9]+\.Arn>:\*$/,
    reason: 'The EventBridge Scheduler target role (aws-scheduler-targets L2) may invoke one function and its versions/aliases ("<arn>:*"), nothing else.',
  },
];

/** Acknowledges the wildcard findings WILDCARD_GRANTS explains, with the ids cdk-nag computes. */
class AcknowledgeExplainedWildcards implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof CfnPolicy)) return;
    const doc = Stack.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    for (const statement of doc.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      const actions = list(statement.Action);
      for (const resource of list(statement.Resource).map((r) => flattenCfnReference(r))) {
        if (!resource.includes('*')) continue;
        const reasons = actions.map((a) => WILDCARD_GRANTS.find((g) => g.actions.includes(a) && g.resource.test(resource))?.reason);
        if (reasons.some((r) => r === undefined)) continue; // unexplained: cdk-nag reports it
        Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason: [...new Set(reasons)].join(' ') });
      }
    }
  }
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function acknowledgeNagFindings(stacks: { stateful: StatefulStack; stateless: StatelessStack }): void {
  const { stateless } = stacks;
  Aspects.of(stateless).add(new AcknowledgeExplainedWildcards());
  Aspects.of(stacks.stateful).add(new AcknowledgeExplainedWildcards());

  for (const fn of stateless.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction)) {
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the chosen runtime (the issue pins it; the code is tested on Node 20/22 locally). Move to a newer runtime deliberately, with a test run, not by default.',
    });
  }

  const api = stateless.api;
  Validations.of(api).acknowledge(
    {
      id: 'AwsSolutions-COG4',
      reason: 'Callers are systems and staff with AWS credentials: every method uses AWS_IAM (SigV4) authorisation mapped to one IAM role per API role; no Cognito user pool is involved.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The account-level API Gateway logging role needs exactly this AWS-managed policy (the documented way to let API Gateway write execution logs).',
    },
  );
  Validations.of(api.restApi.deploymentStage.node.defaultChild as CfnStage).acknowledge({
    id: 'AwsSolutions-APIG3',
    reason: 'No public clients: every request must be SigV4-signed by one of the per-role IAM roles, and the stage is throttled. Attach a WAFv2 web ACL if the API is ever opened wider.',
  });
  Validations.of(stateless.schedules.deadLetters.node.defaultChild as CfnResource).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is the dead-letter queue of the EventBridge Scheduler targets (a DLQ of a schedule, which cdk-nag cannot see); it is alarmed on.',
  });
}
