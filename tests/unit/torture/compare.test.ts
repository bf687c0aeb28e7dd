import { describe, expect, it } from 'vitest';
import { compareRuns, summaryLine } from '../../bench/torture/compare.js';
import type { HistoryEvent, Snapshot } from '../../bench/torture/snapshot.js';
import { buildSteps, planKills, planPolicies, PATHS } from '../../bench/torture/workload.js';

const event = (seq: number, type: string, data: Record<string, unknown> = {}, hash = `h${seq}`): HistoryEvent => ({
  seq, at: `2026-03-0${seq}T02:30:00.000Z`, type, actor: { role: 'upstream' }, data: { type, ...data }, before: null, after: null, prevHash: `h${seq - 1}`, hash,
});

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    views: { P1: { status: 200, body: { stage: 'COMPLETED', commission: { status: 'PAID', net: '1200.00' } } } },
    histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered'), event(2, 'CallbackAttemptRecorded')] } },
    verifications: { P1: { status: 200, body: { valid: true, workflowSteps: { valid: true } } } },
    statements: { '2026-03': { status: 200, body: { month: '2026-03', status: 'COMPLETED', attempt: 1, agents: [{ agentId: 'A1', totalNet: '1200.00', lines: [{ policyId: 'P1', decision: 'PAY', net: '1200.00' }] }], totalNet: '1200.00' } } },
    emails: [{ to: ['a@x'], subject: 'held', text: 't', sentAt: '2026-03-02T02:30:00.000Z' }],
    ...overrides,
  };
}

const compare = (killed: Snapshot) => compareRuns(snapshot(), killed, ['P1'], { kills: 3, serverErrors: 0 });

describe('the torture comparison', () => {
  it('finds nothing between equal runs, and ignores a statement attempt number and key order', () => {
    const reference = snapshot();
    const statement = reference.statements['2026-03']!.body as Record<string, unknown>;
    const killed = snapshot({ statements: { '2026-03': { status: 200, body: { totalNet: statement.totalNet, agents: statement.agents, status: 'COMPLETED', month: '2026-03', attempt: 2 } } } });
    const result = compareRuns(reference, killed, ['P1'], { kills: 3, serverErrors: 0 });
    expect(summaryLine(result.counts)).toBe('policies 1, kills 3, diverged views 0, lost facts 0, extra facts 0, statement lines differing 0, mails lost 0/doubled 0, invalid chains 0, 5xx 0');
    expect(result.divergences).toEqual([]);
  });

  it('counts a lost fact, an extra (doubled) fact, a changed one as both, and names the field of a diverged view', () => {
    const lost = compare(snapshot({ histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered')] } } }));
    expect(lost.counts).toMatchObject({ lostFacts: 1, extraFacts: 0 });
    const doubled = compare(snapshot({ histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered'), event(2, 'CallbackAttemptRecorded'), { ...event(2, 'CallbackAttemptRecorded'), seq: 3 }] } } }));
    expect(doubled.counts).toMatchObject({ lostFacts: 0, extraFacts: 1 });
    const moved = compare(snapshot({ histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered'), { ...event(2, 'CallbackAttemptRecorded'), at: '2026-03-09T02:30:00.000Z' }] } } }));
    expect(moved.counts).toMatchObject({ lostFacts: 1, extraFacts: 1 });
    expect(moved.divergences).toEqual([{ where: 'P1', field: 'history: changed fact CallbackAttemptRecorded.at', expected: '2026-03-02T02:30:00.000Z', got: '2026-03-09T02:30:00.000Z' }]);
    const view = compare(snapshot({ views: { P1: { status: 200, body: { stage: 'COMPLETED', commission: { status: 'PAYABLE', net: '1200.00' } } } } }));
    expect(view.counts.divergedViews).toBe(1);
    expect(view.divergences).toEqual([{ where: 'P1', field: 'commission.status', expected: 'PAID', got: 'PAYABLE' }]);
  });

  it('compares hashes, except where the server made random request ids, which are renamed in order', () => {
    const hashes = compare(snapshot({ histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered'), event(2, 'CallbackAttemptRecorded', {}, 'other')] } } }));
    expect(hashes.counts.divergedViews).toBe(1);
    const id = (n: number) => `SR-${String(n).repeat(8)}-1111-2222-3333-444444444444`;
    const withRequest = (requestId: string, hash: string): Snapshot => snapshot({
      histories: { P1: { status: 200, body: [event(1, 'PolicyRegistered'), event(2, 'SpecialRequestFiled', { requestId }, hash)] } },
    });
    const renamed = compareRuns(withRequest(id(1), 'a'), withRequest(id(2), 'b'), ['P1'], { kills: 0, serverErrors: 0 });
    expect(renamed.counts).toMatchObject({ divergedViews: 0, lostFacts: 0, extraFacts: 0 });
    expect(renamed.hashesNotCompared).toBe(1);
  });

  it('counts statement lines lost or changed, mails lost and doubled, invalid chains', () => {
    const result = compare(snapshot({
      statements: { '2026-03': { status: 200, body: { month: '2026-03', status: 'COMPLETED', attempt: 1, agents: [{ agentId: 'A1', totalNet: '0.00', lines: [] }], totalNet: '0.00' } } },
      emails: [],
      verifications: { P1: { status: 200, body: { valid: false, firstBrokenAt: 2 } } },
    }));
    expect(result.counts).toMatchObject({ statementLinesDiffering: 3, mailsLost: 1, mailsDoubled: 0, invalidChains: 1 });
    const doubled = compare(snapshot({ emails: [...snapshot().emails, ...snapshot().emails] }));
    expect(doubled.counts).toMatchObject({ mailsLost: 0, mailsDoubled: 1 });
  });
});

describe('the torture workload', () => {
  it('follows from the seed alone, has every path even when small, and plans the kills where asked', () => {
    expect(planPolicies(30, 7)).toEqual(planPolicies(30, 7));
    expect(planPolicies(30, 7)).not.toEqual(planPolicies(30, 8));
    expect(new Set(planPolicies(30, 7).map((p) => p.path))).toEqual(new Set(PATHS));
    const steps = buildSteps(planPolicies(30, 7));
    const kills = planKills(steps, 5, 7);
    expect(kills).toHaveLength(5);
    expect(kills.map((k) => steps[k.step]!.label)).toEqual(expect.arrayContaining(['settlement 2026-03', 'day 0 registrations']));
    expect(kills.every((k) => k.fraction > 0 && k.fraction < 1)).toBe(true);
  });
});
