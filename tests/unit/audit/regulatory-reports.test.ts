import { describe, expect, it } from 'vitest';
import type { AuditedEvent } from '../../../functions/audit/audited-event.js';
import { parseQuarter } from '../../../functions/domain/reporting-period.js';
import type { EventData } from '../../../functions/lifecycle/events.js';
import type { WorkItem } from '../../../functions/lifecycle/work-item.js';
import { coolingOffAtRisk } from '../../../functions/reporting/cooling-off-at-risk.js';
import { evidenceTally } from '../../../functions/reporting/regulatory-evidence.js';

const NOW = new Date('2026-03-12T01:00:00.000Z');
const item = (policyId: string, coolingOffEndsAt?: string, bucket: WorkItem['bucket'] = 'DIAL'): WorkItem => ({
  policyId, bucket, dueAt: '2026-03-12T01:00:00.000Z', branchId: 'BR', agentId: 'A1', timeZone: 'Asia/Shanghai', ruleSet: { name: 'default', version: 1 },
  ...(coolingOffEndsAt ? { coolingOffEndsAt } : {}),
});

describe('cooling-off at risk', () => {
  it('keeps the periods ending in (now, now + withinDays], soonest first, and none without a period', () => {
    const items = [
      item('ended', '2026-03-12T01:00:00.000Z'),
      item('late', '2026-03-15T01:00:00.001Z'),
      item('edge', '2026-03-15T01:00:00.000Z', 'REVIEW'),
      item('soon', '2026-03-12T05:30:00.000Z', 'WAITING'),
      item('passed'),
    ];
    const out = coolingOffAtRisk(items, NOW, 3);
    expect(out.map((p) => [p.policyId, p.waitingIn, p.hoursLeft])).toEqual([['soon', 'WAITING', 4], ['edge', 'REVIEW', 72]]);
    expect(coolingOffAtRisk(items, NOW, 0)).toEqual([]);
  });
});

describe('regulatory evidence', () => {
  const quarter = parseQuarter('2026-Q1')!;
  let seq = 0;
  type Recorded = Extract<EventData, { type: 'CallbackAttemptRecorded' }>;
  const event = (data: Partial<Omit<Recorded, 'attempt'>> & { attempt: { reached: boolean } }): AuditedEvent => ({
    policyId: `P${++seq}`, seq: 3, at: '2026-03-12T01:00:00.000Z', actor: { role: 'callcentre' }, prevHash: 'x', hash: 'y', agentId: 'A1', branchId: 'BR',
    data: {
      type: 'CallbackAttemptRecorded', requestHash: 'h', roundStatus: 'PASSED', ...data,
      attempt: { attemptId: `AT${seq}`, round: 1, calledAt: '2026-03-12T01:00:00.000Z', operatorId: 'OP', ...data.attempt },
    },
  });

  it('lists the reached calls recorded with missing evidence, and counts every reached call', () => {
    const tally = evidenceTally(quarter, NOW);
    tally.add(event({ attempt: { reached: true }, missingEvidence: ['recordingRef'] }));
    tally.add(event({ attempt: { reached: true } }));
    tally.add(event({ attempt: { reached: false }, roundStatus: 'OPEN' }));
    // Recorded before the evidence was kept: not claimed as lacking, but counted as reached.
    tally.add(event({ attempt: { reached: true }, missingEvidence: [] }));
    const report = tally.result();
    expect(report).toMatchObject({ quarter: '2026-Q1', closed: false, totals: { reachedCalls: 3, lacking: 1 } });
    expect(report.calls).toEqual([{ policyId: 'P1', agentId: 'A1', branchId: 'BR', attemptId: 'AT1', round: 1, calledAt: '2026-03-12T01:00:00.000Z', operatorId: 'OP', missing: ['recordingRef'] }]);
    expect(evidenceTally(quarter, new Date('2026-04-01T00:00:00Z')).result().closed).toBe(true);
  });
});
