import { describe, expect, it } from 'vitest';
import {
  compareInboxItems, type InboxPosition, reminderAt, remindersDue, roundDeadlineNear, slaStatus, specialRequestDueAt, specialRequestEscalatesAt,
} from '../../../functions/domain/inbox-sla.js';
import { inboxRulesOf, resolveRuleSet, type RuleSet, ruleSetSchema, specialRequestSlaOf } from '../../../functions/domain/rule-set.js';

const rules = resolveRuleSet();
const HOUR = 3_600_000;
const filedAt = '2026-03-02T01:30:00.000Z';
const at = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR);

describe('the special-request SLA', () => {
  it('is a product default of the rule set: decide within 2 days, remind after 3, then daily', () => {
    expect(specialRequestSlaOf(rules)).toEqual({ decideWithinDays: 2, escalateAfterDays: 3, escalateEveryDays: 1 });
    expect(inboxRulesOf(rules)).toEqual({ dueSoonHours: 24, roundDeadlineNearHours: 48 });
    expect(specialRequestDueAt(filedAt, rules)).toBe('2026-03-04T01:30:00.000Z');
    expect(specialRequestEscalatesAt(filedAt, rules)).toBe('2026-03-05T01:30:00.000Z');
  });

  it('falls back to the defaults for a rule set that names no SLA, and follows one that does', () => {
    const { specialRequest: _s, inbox: _i, ...older } = structuredClone(rules) as RuleSet;
    const parsed = ruleSetSchema.parse(older);
    expect(specialRequestSlaOf(parsed)).toEqual(specialRequestSlaOf(rules));
    const quick = ruleSetSchema.parse({ ...older, specialRequest: { decideWithinDays: 1, escalateAfterDays: 1, escalateEveryDays: 2 } });
    expect(specialRequestDueAt(filedAt, quick)).toBe('2026-03-03T01:30:00.000Z');
  });

  it('refuses a rule set that escalates a request before it is overdue', () => {
    const result = ruleSetSchema.safeParse({ ...structuredClone(rules), specialRequest: { decideWithinDays: 3, escalateAfterDays: 2, escalateEveryDays: 1 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['specialRequest', 'escalateAfterDays']);
  });

  it('counts reminders due: none before the first, one at it, one more every period', () => {
    const first = specialRequestEscalatesAt(filedAt, rules);
    expect(remindersDue(first, 1, at(first, -0.001))).toBe(0);
    expect(remindersDue(first, 1, new Date(first))).toBe(1);
    expect(remindersDue(first, 1, at(first, 23.9))).toBe(1);
    expect(remindersDue(first, 1, at(first, 24))).toBe(2);
    expect(remindersDue(first, 2, at(first, 47))).toBe(1);
    expect(reminderAt(first, 1, 1)).toBe(first);
    expect(reminderAt(first, 2, 3)).toBe(at(first, 96).toISOString());
  });
});

describe('due soon and overdue', () => {
  const due = '2026-03-04T01:30:00.000Z';
  it('is neither more than dueSoonHours before the due instant, due soon within them, overdue after it', () => {
    expect(slaStatus(due, at(due, -24.01), rules)).toEqual({ dueSoon: false, overdue: false });
    expect(slaStatus(due, at(due, -24), rules)).toEqual({ dueSoon: true, overdue: false });
    expect(slaStatus(due, new Date(due), rules)).toEqual({ dueSoon: true, overdue: false });
    expect(slaStatus(due, at(due, 0.001), rules)).toEqual({ dueSoon: false, overdue: true });
  });

  it('brings a round into the call centre inbox within roundDeadlineNearHours of its deadline', () => {
    expect(roundDeadlineNear(due, at(due, -48.01), rules)).toBe(false);
    expect(roundDeadlineNear(due, at(due, -48), rules)).toBe(true);
    expect(roundDeadlineNear(due, at(due, -1), rules)).toBe(true);
  });
});

describe('the inbox order', () => {
  it('is earliest due first, then kind, then item id', () => {
    const items: InboxPosition[] = [
      { dueAt: '2026-03-05T00:00:00.000Z', kind: 'REVIEW', itemId: 'P-2' },
      { dueAt: '2026-03-04T00:00:00.000Z', kind: 'SPECIAL_REQUEST', itemId: 'SR-b' },
      { dueAt: '2026-03-04T00:00:00.000Z', kind: 'MANUAL_VISIT', itemId: 'P-9' },
      { dueAt: '2026-03-04T00:00:00.000Z', kind: 'SPECIAL_REQUEST', itemId: 'SR-a' },
      { dueAt: '2026-03-01T00:00:00.000Z', kind: 'CALLBACK_ROUND', itemId: 'P-1-R2' },
    ];
    expect([...items].sort(compareInboxItems).map((i) => i.itemId)).toEqual(['P-1-R2', 'P-9', 'SR-a', 'SR-b', 'P-2']);
    expect(compareInboxItems(items[1]!, { ...items[1]! })).toBe(0);
  });
});
