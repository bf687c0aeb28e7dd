import { describe, expect, it } from 'vitest';
import { customerDataAccess, type Reader } from '../../../functions/domain/customer-privacy.js';
import { GENESIS_HASH, hashEvent } from '../../../functions/lifecycle/event-hash.js';
import { maskEventData } from '../../../functions/audit/event-masking.js';
import type { EventData, PolicyRecord, StoredEvent } from '../../../functions/lifecycle/events.js';
import { historyTimeline } from '../../../functions/audit/history-timeline.js';
import { chainSteps } from '../../../functions/audit/workflow-step-record.js';

const policy: PolicyRecord = {
  policyId: 'P-1', productCode: 'L', branchId: 'B', printedAt: '2026-03-02T01:00:00.000Z', effectiveAt: '2026-03-02',
  agent: { agentId: 'A1', name: '王芳', phone: '13900000001' }, policyholder: { name: '张三', phone: '13812345678', address: '上海' },
  commission: { amount: '1200.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
};
const T0 = '2026-03-02T01:00:00.000Z';
const T1 = '2026-03-12T01:00:00.000Z';

function log(items: [string, EventData][]): StoredEvent[] {
  let prevHash = GENESIS_HASH;
  return items.map(([at, data], i) => {
    const base = { policyId: 'P-1', seq: i + 1, at, actor: { role: 'workflow' }, data };
    const hash = hashEvent(prevHash, base);
    const event = { ...base, prevHash, hash };
    prevHash = hash;
    return event;
  });
}

const as = (reader: Reader) => customerDataAccess(reader, { ownerAgentId: 'A1', branchId: 'B' });
const auditor = as({ role: 'auditor' });

describe('masking event data', () => {
  const registered: EventData = { type: 'PolicyRegistered', policy, requestHash: 'h' };
  it('masks the customer and the agent phone for every reader but the owning agent', () => {
    const masked = maskEventData(registered, auditor) as Extract<EventData, { type: 'PolicyRegistered' }>;
    expect(masked.policy.policyholder).toEqual({ name: '张*', phone: '138****5678', address: '***' });
    expect(masked.policy.agent.phone).toBe('139****0001');
    expect(maskEventData(registered, as({ role: 'agent', subject: 'A1' }))).toEqual(registered);
    expect(maskEventData(registered, as({ role: 'agent', subject: 'A2' }))).toEqual(masked);
    expect(maskEventData(registered, as({ role: 'compliance' }))).toEqual(masked);
  });

  it('masks updated contacts and scrubs numbers from free text', () => {
    expect(maskEventData({ type: 'ContactUpdated', phone: '13787654321', address: 'x', confirmed: false, agentPhoneAsCustomer: false, requestHash: 'h' }, as({ role: 'manager' })))
      .toMatchObject({ phone: '137****4321', address: '***' });
    expect(maskEventData({ type: 'ReviewDecided', decision: 'DISMISS', note: 'called 13787654321 back', requestHash: 'h' }, auditor))
      .toMatchObject({ note: 'called 137****4321 back' });
    expect(maskEventData({ type: 'PolicyCancelled', cancelledAt: T0, reason: 'tel 13787654321', requestHash: 'h' }, auditor)).toMatchObject({ reason: 'tel 137****4321' });
  });
});

describe('the history timeline', () => {
  const events = log([[T0, { type: 'PolicyRegistered', policy, requestHash: 'h' }], [T1, { type: 'CallbackRoundOpened', round: 1, notBefore: T1, deadline: T1 }]]);
  const steps = chainSteps({ policyId: 'P-1', execution: 'e1', executionArn: 'arn' }, undefined, [
    { n: 1, type: 'ExecutionStarted', at: T0 }, { n: 2, type: 'StateEntered', stateName: 'Load lifecycle', at: T0 },
    { n: 3, type: 'StateExited', stateName: 'Await first callback date', at: T1 }, { n: 4, type: 'StateEntered', stateName: 'Open first callback round', at: T1 },
  ]);

  it('merges events and steps by time, events first at the same instant, steps in engine order', () => {
    const timeline = historyTimeline(events, [...steps].reverse(), auditor);
    expect(timeline.map((e) => (e.kind === 'event' ? e.type : `${e.type}:${e.n}`))).toEqual([
      'PolicyRegistered', 'ExecutionStarted:1', 'StateEntered:2', 'CallbackRoundOpened', 'StateExited:3', 'StateEntered:4',
    ]);
  });

  it('gives each event the state before and after it', () => {
    const [first, second] = historyTimeline(events, [], auditor) as unknown as [{ before: unknown; after: { stage: string } }, { before: unknown; after: { stage: string } }];
    expect(first.before).toBeNull();
    expect(first.after.stage).toBe('WAITING_FIRST_CALLBACK');
    expect(second.before).toEqual(first.after);
    expect(second.after.stage).toBe('FIRST_CALLBACK');
  });

  it('masks, in every later free text, the name and every address the log recorded', () => {
    const moved: EventData = { type: 'ContactUpdated', phone: '13787654321', address: '北京朝阳', confirmed: false, agentPhoneAsCustomer: false, requestHash: 'h' };
    const filed: EventData = { type: 'SpecialRequestFiled', requestId: 'R1', requestType: 'EARLY', reason: '张三 moved from 上海 to 北京朝阳, call 13787654321', requestHash: 'h' };
    const log3 = log([[T0, { type: 'PolicyRegistered', policy, requestHash: 'h' }], [T1, moved], [T1, filed]]);
    const reasonFor = (access: ReturnType<typeof as>) => {
      const entry = historyTimeline(log3, [], access).find((e) => e.kind === 'event' && e.type === 'SpecialRequestFiled');
      return entry?.kind === 'event' && entry.data.type === 'SpecialRequestFiled' ? entry.data.reason : undefined;
    };
    expect(reasonFor(auditor)).toBe('张* moved from *** to ***, call 137****4321');
    expect(reasonFor(as({ role: 'agent', subject: 'A1' }))).toBe(filed.reason);
  });

  it('still shows a log whose registration was deleted, without states', () => {
    const [only] = historyTimeline(events.slice(1), [], customerDataAccess({ role: 'auditor' }, {})) as unknown as [{ before: unknown; after: unknown; type: string }];
    expect(only).toMatchObject({ type: 'CallbackRoundOpened', before: null, after: null });
  });
});
