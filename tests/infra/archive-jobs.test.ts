import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, logicalId, templateOf } from './support.js';

let template: Template;
let built: ReturnType<typeof buildApp>;
beforeAll(() => {
  built = buildApp();
  template = templateOf(built.stateless);
});

describe('the anchor job on AWS', () => {
  it('runs daily at 02:00 Asia/Shanghai through EventBridge Scheduler, with retries and the dead-letter queue', () => {
    const jobs = built.stateless.archiveJobs!;
    expect(jobs).toBeDefined();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(jobs.anchorJob), 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 5 }), DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('may scan the table, put and read archive objects with a retention, and delete nothing in the archive', () => {
    const jobs = built.stateless.archiveJobs!;
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(jobs.anchorJob)]!;
    const env = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
    expect(env.ARCHIVE_RETENTION_DAYS).toBe('3653');
    expect(JSON.stringify(env.ARCHIVE_BUCKET)).toContain('PolicyQcStateful-ArchiveBucketArn');
    const roleId = logicalId(jobs.anchorJob.role!);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify((p.Properties as { Roles: unknown }).Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties as { PolicyDocument: { Statement: { Action: string | string[] }[] } }).PolicyDocument.Statement);
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Scan', 's3:PutObject', 's3:PutObjectRetention', 's3:GetObject', 's3:ListBucket']));
    expect(actions.filter((a) => /^s3:(Delete|PutBucket|BypassGovernance)/.test(a))).toEqual([]);
  });
});
