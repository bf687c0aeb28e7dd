import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceFunction } from '../../infra/constructs/service-function.js';
import { buildApp, logicalId, templateOf } from './support.js';

let template: Template;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  built = buildApp();
  template = templateOf(built.stateless);
});

function statementsOf(fn: ServiceFunction): Record<string, unknown>[] {
  const roleId = logicalId(fn.role!);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => p.Properties as { Roles?: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } })
    .filter((p) => JSON.stringify(p.Roles ?? []).includes(`"${roleId}"`))
    .flatMap((p) => p.PolicyDocument.Statement);
}

const actionsOf = (statements: Record<string, unknown>[]) => statements.flatMap((s) => [s.Action].flat() as string[]).sort();

describe('the workflow step history on AWS', () => {
  it('subscribes the step recorder to the lifecycle machine\'s execution log group', () => {
    const logs = built.stateless.workflows.logGroups.get('policy-lifecycle')!;
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: logicalId(logs) },
      DestinationArn: { 'Fn::GetAtt': [logicalId(built.stateless.auditTrail.stepRecorder), 'Arn'] },
      FilterPattern: '',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(built.stateless.auditTrail.stepRecorder), 'Arn'] },
      Principal: Match.stringLikeRegexp('^logs\\.'),
    });
  });

  it('keeps batches that still fail after the retries in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(built.stateless.auditTrail.stepRecorder) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(built.stateless.schedules.deadLetters), 'Arn'] } } },
    });
  });

  it('lets the recorder query and batch-write policy partitions only: no mail, no workflow, no other items', () => {
    const statements = statementsOf(built.stateless.auditTrail.stepRecorder);
    const table = statements.filter((s) => [s.Action].flat().some((a) => String(a).startsWith('dynamodb:')));
    expect(table).toHaveLength(1);
    expect(actionsOf(table)).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    expect(table[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['P#*'] } });
    expect(JSON.stringify(table[0]!.Resource)).not.toContain('/index/');
    const all = actionsOf(statements);
    expect(all.some((a) => a.startsWith('ses:') || a.startsWith('states:'))).toBe(false);
    expect(all.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
  });
});

describe('the quarterly false-contact report', () => {
  it('runs at 09:00 Asia/Shanghai on the first day of each quarter, dead-lettering failed deliveries', () => {
    const schedule = template.findResources('AWS::Scheduler::Schedule')[logicalId(built.stateless.auditTrail.quarterlyReport)]!.Properties as {
      ScheduleExpression: string; ScheduleExpressionTimezone: string; Target: { Arn: unknown; DeadLetterConfig: { Arn: unknown }; Input: string };
    };
    expect(schedule.ScheduleExpression).toBe('cron(0 9 1 1,4,7,10 ? *)');
    expect(schedule.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(schedule.Target.Arn).toEqual({ 'Fn::GetAtt': [logicalId(built.stateless.auditTrail.quarterlyReporter), 'Arn'] });
    expect(schedule.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [logicalId(built.stateless.schedules.deadLetters), 'Arn'] });
    expect(schedule.Target.Input).toContain('scheduledTime');
  });

  it('lets the reporter read the table, claim and mark its mail records and mail, nothing more', () => {
    const statements = statementsOf(built.stateless.auditTrail.quarterlyReporter);
    const writes = statements.filter((s) => [s.Action].flat().some((a) => ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'].includes(String(a))));
    expect(writes).toHaveLength(1);
    expect(actionsOf(writes)).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MAIL#*'] } });
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:Query', 'ses:SendEmail']));
    expect(actionsOf(statements).some((a) => a.startsWith('states:'))).toBe(false);
  });
});
