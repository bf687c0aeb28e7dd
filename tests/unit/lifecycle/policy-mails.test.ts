import { describe, expect, it } from 'vitest';
import type { EventData, PolicyRecord, StoredEvent } from '../../../functions/lifecycle/events.js';
import { lastFactOf, mailsOf } from '../../../functions/lifecycle/policy-mails.js';
import { foldEvents } from '../../../functions/lifecycle/policy-state.js';
import { AGENT_ID, AGENT_PHONE, CLOCK_START, CUSTOMER_PHONE } from '../../support/policies.js';

const policy: PolicyRecord = {
  policyId: 'PM-1', productCode: 'LIFE-20', branchId: 'BR-SH-01', printedAt: CLOCK_START.toISOString(), effectiveAt: '2026-03-02',
  agent: { agentId: AGENT_ID, name: '王芳', phone: AGENT_PHONE }, policyholder: { name: '张三丰', phone: CUSTOMER_PHONE },
  commission: { amount: '1200.00' }, ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai',
};
const WF = { role: 'workflow' };

/** A log built by hand (hashes play no part in which mails a fact implies). */
function log(...data: EventData[]): StoredEvent[] {
  const all: EventData[] = [{ type: 'PolicyRegistered', policy, requestHash: 'h' }, ...data];
  return all.map((d, i) => ({ policyId: 'PM-1', seq: i + 1, at: CLOCK_START.toISOString(), actor: WF, data: d, prevHash: '', hash: String(i) }));
}

describe('the mails a recorded fact implies', () => {
  it('asks the agent to update the contact when the window opens, customer data masked', () => {
    const events = log({ type: 'ContactWindowOpened', closesAt: '2026-03-22T02:00:00.000Z' });
    const [mail, ...more] = mailsOf(lastFactOf(events, ['ContactWindowOpened'])!);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ id: 'PM-1#2#contact-update-required', template: 'contact-update-required', audience: ['agent'] });
    expect(mail!.data.closesAtLocal).toBe('2026-03-22 10:00');
    expect(mail!.data.customerPhone).not.toContain(CUSTOMER_PHONE);
    expect(mail!.data.customerPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(mail!.data.customerName).toBe('张**');
  });

  it('numbers reminders by the escalations recorded up to the fact, whatever came after', () => {
    const events = log(
      { type: 'ManualVisitOrdered', dueBy: '2026-04-01T00:00:00.000Z' },
      { type: 'ManualVisitEscalated', overdueSince: '2026-04-01T00:00:00.000Z' },
      { type: 'ManualVisitEscalated', overdueSince: '2026-04-01T00:00:00.000Z' },
    );
    const second = lastFactOf(events, ['ManualVisitEscalated'])!;
    expect(mailsOf(second).map((m) => [m.id, m.data.reminderNumber])).toEqual([['PM-1#4#manual-visit-overdue', '2']]);
    const first = { seq: 3, data: events[2]!.data, after: foldEvents(events.slice(0, 3))! };
    expect(mailsOf(first).map((m) => [m.id, m.data.reminderNumber])).toEqual([['PM-1#3#manual-visit-overdue', '1']]);
  });

  it('sends review mails to branch manager and compliance, and nothing for facts that imply none', () => {
    const events = log({ type: 'ReviewOpened', dueBy: '2026-04-01T00:00:00.000Z' }, { type: 'ReceiptNeverReturned' });
    expect(mailsOf(lastFactOf(events, ['ReviewOpened'])!)).toMatchObject([{ template: 'findings-review', audience: ['branchManager', 'compliance'], data: { findingsText: '异常情况' } }]);
    expect(mailsOf(lastFactOf(events, ['ReceiptNeverReturned'])!)).toEqual([]);
    expect(lastFactOf(events, ['ContactWindowOpened'])).toBeUndefined();
  });
});
