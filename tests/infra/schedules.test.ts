import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HANDLERS_DIR, REPO_ROOT, WORKFLOWS_DIR } from '../../infra/paths.js';
import { buildApp, logicalId, templateOf } from './support.js';

const SETTLEMENT_ASL = join(WORKFLOWS_DIR, 'monthly-settlement.asl.json');
const STARTER = join(HANDLERS_DIR, 'workflow', 'start-settlement.ts');

/** A copy of workflows/ with a settlement workflow added. */
function workflowsWithSettlement(): string {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-'));
  for (const f of readdirSync(WORKFLOWS_DIR)) writeFileSync(join(dir, f), readFileSync(join(WORKFLOWS_DIR, f)));
  if (!existsSync(join(dir, 'monthly-settlement.asl.json'))) {
    const asl = { StartAt: 'Settle', States: { Settle: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${WorkflowStepFunctionArn}' }, End: true } } };
    writeFileSync(join(dir, 'monthly-settlement.asl.json'), JSON.stringify(asl));
  }
  return dir;
}

/**
 * A handlers folder (links to the real entries) with a settlement starter added. It lives
 * under the repository (node_modules/.cache) because NodejsFunction wants every entry
 * under the project root.
 */
function handlersWithStarter(): string {
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'infra-test-handlers-'));
  mkdirSync(join(dir, 'workflow'));
  symlinkSync(join(HANDLERS_DIR, 'http'), join(dir, 'http'));
  for (const f of readdirSync(join(HANDLERS_DIR, 'workflow'))) symlinkSync(join(HANDLERS_DIR, 'workflow', f), join(dir, 'workflow', f));
  if (!existsSync(join(dir, 'workflow', 'start-settlement.ts'))) {
    writeFileSync(join(dir, 'workflow', 'start-settlement.ts'), 'export const handler = async () => undefined;\n');
  }
  return dir;
}

function settlementSchedule(built: ReturnType<typeof buildApp>) {
  const schedule = built.stateless.schedules.settlement;
  if (!schedule) return undefined;
  return templateOf(built.stateless).findResources('AWS::Scheduler::Schedule')[logicalId(schedule)]!.Properties as {
    ScheduleExpression: string;
    ScheduleExpressionTimezone: string;
    Target: { Arn: unknown; DeadLetterConfig: { Arn: unknown }; RetryPolicy: unknown };
  };
}

describe('the monthly settlement schedule', () => {
  it('in this repository: targets what exists (settlement workflow, else starter function, else no schedule)', () => {
    const built = buildApp();
    const props = settlementSchedule(built);
    if (existsSync(SETTLEMENT_ASL)) {
      expect(props!.Target.Arn).toEqual({ Ref: logicalId(built.stateless.workflows.machines.get('monthly-settlement')!) });
    } else if (existsSync(STARTER)) {
      expect(JSON.stringify(props!.Target.Arn)).toContain('StartSettlement');
    } else {
      expect(props).toBeUndefined();
    }
    if (props) {
      expect(props.ScheduleExpression).toBe('cron(0 9 20 * ? *)');
      expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    }
  });

  it('runs the settlement workflow at 09:00 on the 20th, Asia/Shanghai, dead-lettering failed deliveries', () => {
    const built = buildApp({ stateless: { workflowsDir: workflowsWithSettlement() } });
    const props = settlementSchedule(built)!;
    expect(props.ScheduleExpression).toBe('cron(0 9 20 * ? *)');
    expect(props.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(props.Target.Arn).toEqual({ Ref: logicalId(built.stateless.workflows.machines.get('monthly-settlement')!) });
    expect(props.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [logicalId(built.stateless.schedules.deadLetters), 'Arn'] });
  });

  it('falls back to the starter function when only it exists, at the configured local time', () => {
    const handlersDir = handlersWithStarter();
    let props: ReturnType<typeof settlementSchedule>;
    try {
      props = settlementSchedule(buildApp({ stateless: { handlersDir }, context: { settlementLocalTime: '07:30' } }));
    } finally {
      rmSync(handlersDir, { recursive: true, force: true });
    }
    if (existsSync(SETTLEMENT_ASL)) return; // the workflow wins whenever it exists
    expect(props!.ScheduleExpression).toBe('cron(30 7 20 * ? *)');
    expect(props!.ScheduleExpressionTimezone).toBe('Asia/Shanghai');
    expect(JSON.stringify(props!.Target.Arn)).toMatch(/StartSettlement[0-9A-F]{8}/);
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
