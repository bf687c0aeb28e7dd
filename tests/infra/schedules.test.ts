import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HANDLERS_DIR, REPO_ROOT, WORKFLOWS_DIR } from '../../infra/paths.js';
import { buildApp, logicalId, templateOf } from './support.js';

const SETTLEMENT_ASL = join(WORKFLOWS_DIR, 'monthly-settlement.asl.json');
const STARTER = join(HANDLERS_DIR, 'workflow', 'start-settlement.ts');

/**
 * A handlers folder (links to the real entries) without the settlement starter. It lives
 * under the repository (node_modules/.cache) because NodejsFunction wants every entry
 * under the project root.
 */
function handlersWithoutStarter(): string {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'infra-test-handlers-'));
  mkdirSync(join(dir, 'workflow'));
  symlinkSync(join(HANDLERS_DIR, 'http'), join(dir, 'http'));
  for (const f of readdirSync(join(HANDLERS_DIR, 'workflow')).filter((f) => f !== 'start-settlement.ts')) {
    symlinkSync(join(HANDLERS_DIR, 'workflow', f), join(dir, 'workflow', f));
  }
  return dir;
}

function settlementSchedule(built: ReturnType<typeof buildApp>) {
  const schedule = built.stateless.schedules.settlement;
  if (!schedule) return undefined;
  return templateOf(built.stateless).findResources('AWS::Scheduler::Schedule')[logicalId(schedule)]!.Properties as {
    ScheduleExpression: string;
    ScheduleExpressionTimezone: string;
    Target: { Arn: unknown; Input: string; DeadLetterConfig: { Arn: unknown }; RetryPolicy: unknown };
  };
}

describe('the monthly settlement schedule', () => {
  it('targets the starter function, which names each execution per month, at 09:00 on the 20th, Asia/Shanghai', () => {
    expect(existsSync(SETTLEMENT_ASL) && existsSync(STARTER)).toBe(true);
    const built = buildApp();
    const props = settlementSchedule(built)!;
    expect(props.ScheduleExpression).toBe('cron(0 9 20 * ? *)');
    expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(props.Target.Arn).toEqual({ 'Fn::GetAtt': [logicalId(built.stateless.settlementStarter!), 'Arn'] });
    // The starter reads the scheduled instant to know the month.
    expect(props.Target.Input).toContain('<aws.scheduler.scheduled-time>');
    expect(props.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [logicalId(built.stateless.schedules.deadLetters), 'Arn'] });
  });

  it('follows the configured local time', () => {
    const props = settlementSchedule(buildApp({ context: { settlementLocalTime: '07:30' } }))!;
    expect(props.ScheduleExpression).toBe('cron(30 7 20 * ? *)');
    expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
  });

  it('targets the settlement workflow itself when there is no starter', () => {
    const handlersDir = handlersWithoutStarter();
    let built: ReturnType<typeof buildApp>;
    try {
      built = buildApp({ stateless: { handlersDir } });
    } finally {
      rmSync(handlersDir, { recursive: true, force: true });
    }
    const props = settlementSchedule(built)!;
    expect(props.ScheduleExpression).toBe('cron(0 9 20 * ? *)');
    expect(props.Target.Arn).toEqual({ Ref: logicalId(built.stateless.workflows.machines.get('monthly-settlement')!) });
  });
});

describe('the over-age executions report and the alarms', () => {
  const built = buildApp();
  const template = templateOf(built.stateless);

  it('reports daily, Asia/Shanghai, into the dead-letter queue on failure', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('alarms on failed, timed-out and aborted executions, 5xx, dead letters and over-age executions', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Record<string, unknown>);
    const metricNames = alarms.map((a) => a.MetricName);
    for (const name of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', '5XXError', 'ApproximateNumberOfMessagesVisible', 'ExecutionsOlderThanThreshold']) {
      expect(metricNames, name).toContain(name);
    }
    const old = alarms.find((a) => a.MetricName === 'ExecutionsOlderThanThreshold')!;
    expect(old.Namespace).toBe('PolicyQc');
    for (const a of alarms) expect((a.AlarmActions as unknown[]).length).toBe(1);
  });

  it('gives the reporter only ListExecutions on the lifecycle machine', () => {
    const lifecycle = built.stateless.workflows.machines.get('policy-lifecycle')!;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{ Action: 'states:ListExecutions', Effect: 'Allow', Resource: { Ref: logicalId(lifecycle) } }]),
      },
    });
  });
});
