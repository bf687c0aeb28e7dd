import { describe, expect, it } from 'vitest';
import { planAppend } from '../../../functions/lifecycle/event-append.js';
import type { EventData, PolicyRecord } from '../../../functions/lifecycle/events.js';
import type { PolicyState } from '../../../functions/lifecycle/policy-state.js';
import { projectionOf } from '../../../functions/lifecycle/projection.js';
import { mailsOf } from '../../../functions/lifecycle/policy-mails.js';
import { AGENT_ID, AGENT_PHONE, CLOCK_START, CUSTOMER_PHONE } from '../../support/policies.js';

const policy: PolicyRecord = {
  policyId: 'PE-1', productCode: 'LIFE-20', branchId: 'BR-SH', printedAt: CLOCK_START.toISOString(), effectiveAt: '2026-03-02',
  agent: { agentId: AGENT_ID, name: '王芳', phone: AGENT_PHONE }, policyholder: { name: '张三丰', phone: CUSTOMER_PHONE },
  commission: { amount: '1200.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
};
const HOUR = 3_600_000;

/** Appends in order, each an hour after the last; returns every plan. */
function run(...data: EventData[]) {
  let state: PolicyState | undefined;
  return [{ type: 'PolicyRegistered', policy, requestHash: 'h' } as EventData, ...data].map((d, i) => {
    const actor = d.type === 'SpecialRequestFiled' ? { role: 'agent', subject: AGENT_ID } : { role: 'workflow' };
    const plan = planAppend('PE-1', state, { at: new Date(CLOCK_START.getTime() + i * HOUR).toISOString(), actor, data: d });
    state = plan.state;
    return plan;
  });
}

const filed = (requestId: string, requestType: 'EARLY' | 'EXEMPT'): EventData =>
  ({ type: 'SpecialRequestFiled', requestId, requestType, reason: '客户张三在国外', requestHash: requestId });

describe('special-request inbox entries in the append plan', () => {
  it('are written when filed, reminded, decided or made moot, and not for unrelated facts', () => {
    const plans = run(
      filed('SR-E', 'EARLY'),
      filed('SR-X', 'EXEMPT'),
      { type: 'SpecialRequestEscalated', requestId: 'SR-X', reminder: 1 },
      { type: 'ReceiptReturned', returnedAt: CLOCK_START.toISOString(), late: false, requestHash: 'r' },
      { type: 'CallbackRoundOpened', round: 1, notBefore: CLOCK_START.toISOString(), deadline: new Date(CLOCK_START.getTime() + 240 * HOUR).toISOString() },
      { type: 'SpecialRequestDecided', requestId: 'SR-X', approve: false },
    );
    const written = plans.map((p) => (p.projection.requests ?? []).map((e) => `${e.requestId}:${e.open ? 'open' : 'closed'}:${e.escalations}`));
    expect(written).toEqual([[], ['SR-E:open:0'], ['SR-X:open:0'], ['SR-X:open:1'], [], ['SR-E:closed:0'], ['SR-X:closed:1']]);
    const entry = plans[2]!.projection.requests![0]!;
    expect(entry).toMatchObject({ filedBy: AGENT_ID, filedAt: plans[2]!.event.at, dueAt: new Date(Date.parse(plans[2]!.event.at) + 48 * HOUR).toISOString(), version: 3 });
    // Rebuilt from the log, a projection carries every entry.
    expect(projectionOf(plans.at(-1)!.state).requests?.map((e) => e.requestId)).toEqual(['SR-E', 'SR-X']);
  });

  it('imply the notice and each reminder mail, with ids of the request (and reminder), and no reason text', () => {
    const plans = run(filed('SR-X', 'EXEMPT'), { type: 'SpecialRequestEscalated', requestId: 'SR-X', reminder: 2 });
    const notice = mailsOf({ seq: 2, data: plans[1]!.event.data, after: plans[1]!.state });
    const reminder = mailsOf({ seq: 3, data: plans[2]!.event.data, after: plans[2]!.state });
    expect(notice).toMatchObject([{ id: 'PE-1#SR-X#special-request-filed', audience: ['branchManager'], data: { requestTypeText: '免回访', filedAtLocal: '2026-03-02 10:00' } }]);
    expect(reminder).toMatchObject([{ id: 'PE-1#SR-X#2#special-request-overdue', data: { reminderNumber: '2', dueByLocal: '2026-03-04 10:00' } }]);
    expect(JSON.stringify([notice, reminder])).not.toMatch(/张三|国外|13812345678/);
  });
});
