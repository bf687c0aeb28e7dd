import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/handlers/workflow/report-old-executions.js';

const NOW = new Date('2026-11-21T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const ARN = 'arn:aws:states:cn-north-1:123456789012:stateMachine:PolicyQcStateless-policy-lifecycle';

describe('report-old-executions', () => {
  it('counts RUNNING executions older than the threshold and emits one EMF line', async () => {
    const executions: ExecutionListItem[] = [10, 69, 71, 200].map((d, i) => ({
      executionArn: `${ARN}:p${i}`, stateMachineArn: ARN, name: `p${i}`, status: 'RUNNING', startDate: daysAgo(d),
    }));
    const lines: string[] = [];
    const handler = makeHandler({
      listRunning: async function* () { yield* executions; },
      now: () => NOW,
      log: (l) => lines.push(l),
      env: { STATE_MACHINE_ARN: ARN, MAX_AGE_DAYS: '70', METRIC_NAMESPACE: 'PolicyQc', METRIC_NAME: 'ExecutionsOlderThanThreshold' },
    });
    const report = await handler();
    expect(report).toMatchObject({ stateMachineName: 'PolicyQcStateless-policy-lifecycle', running: 4, olderThanThreshold: 2 });
    expect(report.oldest.map((e) => e.executionArn)).toEqual([`${ARN}:p3`, `${ARN}:p2`]);
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0]!) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } };
    expect(emf._aws.CloudWatchMetrics).toEqual([
      { Namespace: 'PolicyQc', Dimensions: [['StateMachineName']], Metrics: [{ Name: 'ExecutionsOlderThanThreshold', Unit: 'Count' }] },
    ]);
    expect(emf.StateMachineName).toBe('PolicyQcStateless-policy-lifecycle');
    expect(emf.ExecutionsOlderThanThreshold).toBe(2);
  });

  it('emits 0 when nothing is over age, so the alarm sees data', async () => {
    const lines: string[] = [];
    await makeHandler({ listRunning: async function* () {}, now: () => NOW, log: (l) => lines.push(l), env: { STATE_MACHINE_ARN: ARN } })();
    expect((JSON.parse(lines[0]!) as Record<string, unknown>).ExecutionsOlderThanThreshold).toBe(0);
  });
});
