import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  assertAttemptAllowed,
  decideAttempt,
  failedAttemptCount,
  isRoundTimedOut,
  nextDialTime,
  type AttemptReport,
  type RoundContext,
  type RoundSnapshot,
} from '../../../functions/domain/callback-round.js';
import { BusinessRuleError } from '../../../functions/domain/errors.js';
import { isWithinCallingHours } from '../../../functions/domain/calendar.js';
import { FAILURE_REASONS, failureGroupOf } from '../../../functions/domain/failure-reasons.js';
import { resolveRuleSet, type RuleSet } from '../../../functions/domain/rule-set.js';

const rules = resolveRuleSet();
const SH = 'Asia/Shanghai';
const sh = (local: string) => new Date(`${local}+08:00`);
const ctx: RoundContext = { timeZone: SH, rules, customerPhoneIsAgentOrBranchPhone: false };
const withRules = (patch: Partial<RuleSet['attempts']>): RoundContext => ({
  ...ctx,
  rules: { ...rules, attempts: { ...rules.attempts, ...patch } },
});

let seq = 0;
const failed = (calledAt: Date, reason: AttemptReport['reason'] = 'NO_ANSWER'): AttemptReport => ({
  attemptId: `a${++seq}`, calledAt, reached: false, reason,
});
const reached = (calledAt: Date, findings?: AttemptReport['findings']): AttemptReport => ({
  attemptId: `a${++seq}`, calledAt, reached: true, ...(findings ? { findings } : {}),
});
const round = (attempts: AttemptReport[] = [], patch: Partial<RoundSnapshot> = {}): RoundSnapshot => ({
  round: 1, openedAt: sh('2026-06-01T09:00:00'), notBefore: sh('2026-06-01T09:00:00'), attempts, status: 'OPEN', ...patch,
});

function ruleOf(fn: () => void): { rule: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof BusinessRuleError) return { rule: e.rule, message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected a BusinessRuleError');
}

describe('assertAttemptAllowed', () => {
  it('allows 09:00 and rejects 21:00 and 08:59 local', () => {
    expect(() => assertAttemptAllowed(round(), failed(sh('2026-06-01T09:00:00')), ctx)).not.toThrow();
    expect(() => assertAttemptAllowed(round(), failed(sh('2026-06-01T20:59:59')), ctx)).not.toThrow();
    const late = ruleOf(() => assertAttemptAllowed(round(), failed(sh('2026-06-01T21:00:00')), ctx));
    expect(late.rule).toBe('OUTSIDE_CALLING_HOURS');
    expect(late.message).toMatch(/09:00 and 21:00 Asia\/Shanghai/);
    expect(late.details.notBefore).toBe(sh('2026-06-02T09:00:00').toISOString());
    const early = ruleOf(() => assertAttemptAllowed(round([], { notBefore: sh('2026-05-01T00:00:00') }), failed(sh('2026-06-01T08:59:00')), ctx));
    expect(early.rule).toBe('OUTSIDE_CALLING_HOURS');
  });

  it('checks calling hours in the customer zone (New York)', () => {
    const ny: RoundContext = { ...ctx, timeZone: 'America/New_York' };
    const r = round([], { notBefore: new Date('2026-06-01T00:00:00Z') });
    expect(() => assertAttemptAllowed(r, failed(new Date('2026-06-01T13:00:00Z')), ny)).not.toThrow();
    expect(ruleOf(() => assertAttemptAllowed(r, failed(new Date('2026-06-01T12:59:00Z')), ny)).rule).toBe('OUTSIDE_CALLING_HOURS');
    // 10:00 Shanghai is 22:00 the day before in New York.
    expect(ruleOf(() => assertAttemptAllowed(r, failed(sh('2026-06-02T10:00:00')), ny)).rule).toBe('OUTSIDE_CALLING_HOURS');
  });

  it('requires exactly 6 h after an unsuccessful call: 6h allowed, 5h59 not', () => {
    const r = round([failed(sh('2026-06-01T10:00:00'))]);
    expect(() => assertAttemptAllowed(r, failed(sh('2026-06-01T16:00:00')), ctx)).not.toThrow();
    const soon = ruleOf(() => assertAttemptAllowed(r, failed(sh('2026-06-01T15:59:00')), ctx));
    expect(soon.rule).toBe('TOO_SOON_AFTER_FAILED_CALL');
    expect(soon.details.notBefore).toBe(sh('2026-06-01T16:00:00').toISOString());
    expect(soon.message).toMatch(/at least 6 hours/);
    expect(soon.message).toContain(sh('2026-06-01T16:00:00').toISOString());
  });

  it('gap earliest time respects calling hours', () => {
    const r = round([failed(sh('2026-06-01T17:00:00'))]);
    const soon = ruleOf(() => assertAttemptAllowed(r, failed(sh('2026-06-01T20:00:00')), ctx));
    expect(soon.details.notBefore).toBe(sh('2026-06-02T09:00:00').toISOString());
  });

  it('rejects closed rounds, calls before the round starts and out-of-order reports', () => {
    expect(ruleOf(() => assertAttemptAllowed(round([], { status: 'PASSED' }), failed(sh('2026-06-01T10:00:00')), ctx)).rule).toBe('ROUND_NOT_OPEN');
    const before = ruleOf(() => assertAttemptAllowed(round([], { notBefore: sh('2026-06-03T09:00:00') }), failed(sh('2026-06-02T10:00:00')), ctx));
    expect(before.rule).toBe('BEFORE_ROUND_START');
    expect(before.details.notBefore).toBe(sh('2026-06-03T09:00:00').toISOString());
    const r = round([failed(sh('2026-06-02T10:00:00'))]);
    expect(ruleOf(() => assertAttemptAllowed(r, failed(sh('2026-06-02T09:30:00')), ctx)).rule).toBe('NOT_AFTER_PREVIOUS_ATTEMPT');
  });
});

describe('decideAttempt', () => {
  const t = sh('2026-06-01T10:00:00');

  it('reached without findings passes; with findings goes to review', () => {
    expect(decideAttempt(round(), reached(t), ctx)).toEqual({ status: 'PASSED', endReason: 'REACHED' });
    expect(decideAttempt(round(), reached(t, { proxySignature: false, misleading: false }), ctx).status).toBe('PASSED');
    expect(decideAttempt(round(), reached(t, { proxySignature: true, misleading: false }), ctx)).toEqual({ status: 'FINDINGS', endReason: 'FINDINGS' });
    expect(decideAttempt(round(), reached(t, { proxySignature: false, misleading: true }), ctx).status).toBe('FINDINGS');
  });

  it('cannot pass on the agent or branch phone', () => {
    const agentCtx = { ...ctx, customerPhoneIsAgentOrBranchPhone: true };
    expect(decideAttempt(round(), reached(t), agentCtx)).toEqual({ status: 'FAILED', endReason: 'AGENT_PHONE_AS_CUSTOMER' });
    expect(decideAttempt(round(), failed(t, 'AGENT_OR_BRANCH_PHONE'), ctx)).toEqual({ status: 'FAILED', endReason: 'AGENT_PHONE_AS_CUSTOMER' });
    expect(decideAttempt(round(), failed(t, 'NO_ANSWER'), agentCtx).endReason).toBe('AGENT_PHONE_AS_CUSTOMER');
  });

  it('a number problem or a refusal ends the round at once', () => {
    expect(decideAttempt(round(), failed(t, 'WRONG_NUMBER'), ctx)).toEqual({ status: 'FAILED', endReason: 'NUMBER_PROBLEM' });
    expect(decideAttempt(round(), failed(t, 'FAX'), ctx).endReason).toBe('NUMBER_PROBLEM');
    expect(decideAttempt(round(), failed(t, 'FAMILY_REFUSED'), ctx)).toEqual({ status: 'FAILED', endReason: 'REFUSED' });
    // Not when configured otherwise.
    expect(decideAttempt(round(), failed(t, 'WRONG_NUMBER'), withRules({ endAtOnceGroups: ['REFUSED'] })).status).toBe('OPEN');
  });

  it('temporary, special and other reasons keep the round open with a 6 h gap', () => {
    for (const reason of ['NO_ANSWER', 'SURRENDERED', 'OTHER'] as const) {
      const d = decideAttempt(round(), failed(t, reason), ctx);
      expect(d).toEqual({ status: 'OPEN', nextAttemptNotBefore: sh('2026-06-01T16:00:00') });
    }
  });

  it('a gap ending after 21:00 moves to 09:00 next day', () => {
    const d = decideAttempt(round(), failed(sh('2026-06-01T16:00:00')), ctx);
    expect(d.nextAttemptNotBefore?.toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
  });

  it('3 failures over 2 days → FAILED (MAX_FAILED_ATTEMPTS)', () => {
    const r = round([failed(sh('2026-06-01T10:00:00')), failed(sh('2026-06-01T16:00:00'))]);
    expect(decideAttempt(r, failed(sh('2026-06-02T09:00:00')), ctx)).toEqual({ status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' });
  });

  it('3 failures on one day stay OPEN and the next call is on the next day', () => {
    const c = withRules({ minGapHours: 2 });
    const r = round([failed(sh('2026-06-01T09:00:00')), failed(sh('2026-06-01T11:00:00'))]);
    const d = decideAttempt(r, failed(sh('2026-06-01T13:00:00')), c);
    expect(d.status).toBe('OPEN');
    expect(d.nextAttemptNotBefore?.toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
    const d4 = decideAttempt({ ...r, attempts: [...r.attempts, failed(sh('2026-06-01T13:00:00'))] }, failed(sh('2026-06-02T09:00:00')), c);
    expect(d4).toEqual({ status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' });
  });

  it('when the next attempt would be the last, it is pushed to the next day', () => {
    const c = withRules({ minGapHours: 2 });
    // First failure: two attempts left, so the same day is fine.
    expect(decideAttempt(round(), failed(sh('2026-06-01T09:00:00')), c).nextAttemptNotBefore?.toISOString()).toBe(sh('2026-06-01T11:00:00').toISOString());
    // Second failure on the same day: the third must be on another day.
    const r = round([failed(sh('2026-06-01T09:00:00'))]);
    expect(decideAttempt(r, failed(sh('2026-06-01T11:00:00')), c).nextAttemptNotBefore?.toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
  });

  it('counts calendar days in the customer zone', () => {
    const ny: RoundContext = { ...ctx, timeZone: 'America/New_York' };
    // 13:00Z, 17:00Z and 00:30Z next day are all 1 June in New York (09:00, 13:00, 20:30 EDT).
    const r = round([failed(new Date('2026-06-01T13:00:00Z')), failed(new Date('2026-06-01T17:00:00Z'))], { notBefore: new Date('2026-06-01T00:00:00Z') });
    const sameDay = decideAttempt(r, failed(new Date('2026-06-02T00:30:00Z')), ny);
    expect(sameDay.status).toBe('OPEN');
    expect(sameDay.nextAttemptNotBefore?.toISOString()).toBe('2026-06-02T13:00:00.000Z');
    expect(decideAttempt(r, failed(new Date('2026-06-02T13:00:00Z')), ny).status).toBe('FAILED');
  });
});

describe('nextDialTime and counts', () => {
  it('is the round start for a fresh round, moved into calling hours', () => {
    expect(nextDialTime(round(), sh('2026-05-30T12:00:00'), ctx).toISOString()).toBe(sh('2026-06-01T09:00:00').toISOString());
    expect(nextDialTime(round(), sh('2026-06-01T22:00:00'), ctx).toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
    const now = sh('2026-06-01T12:00:00');
    expect(nextDialTime(round(), now, ctx)).toEqual(now);
  });

  it('honours the gap and the day spread', () => {
    const r = round([failed(sh('2026-06-01T10:00:00'))]);
    expect(nextDialTime(r, sh('2026-06-01T11:00:00'), ctx).toISOString()).toBe(sh('2026-06-01T16:00:00').toISOString());
    const c = withRules({ minGapHours: 2 });
    const r2 = round([failed(sh('2026-06-01T09:00:00')), failed(sh('2026-06-01T11:00:00'))]);
    expect(nextDialTime(r2, sh('2026-06-01T13:00:00'), c).toISOString()).toBe(sh('2026-06-02T09:00:00').toISOString());
  });

  it('throws for a closed round; counts only failed attempts', () => {
    expect(ruleOf(() => nextDialTime(round([], { status: 'FAILED' }), sh('2026-06-01T10:00:00'), ctx)).rule).toBe('ROUND_NOT_OPEN');
    expect(failedAttemptCount(round([failed(sh('2026-06-01T10:00:00')), reached(sh('2026-06-01T17:00:00'))]))).toBe(1);
  });

  it('times out after callbackRoundMaxDays (72 h under strict-72h)', () => {
    const r = round();
    expect(isRoundTimedOut(r, sh('2026-06-11T08:59:59'), rules)).toBe(false);
    expect(isRoundTimedOut(r, sh('2026-06-11T09:00:00'), rules)).toBe(true);
    expect(isRoundTimedOut(r, sh('2026-06-04T09:00:00'), resolveRuleSet('strict-72h'))).toBe(true);
    expect(isRoundTimedOut({ ...r, status: 'PASSED' }, sh('2026-07-01T00:00:00'), rules)).toBe(false);
  });
});

describe('property: dialling at the advised times', () => {
  const temporary = FAILURE_REASONS.filter((r) => ['TEMPORARY', 'SPECIAL', 'OTHER'].includes(failureGroupOf(r)));
  it('every advised time is allowed, and the round fails after exactly maxFailed attempts', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin'),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(...temporary),
        (start, timeZone, minGapHours, maxFailed, reason) => {
          const c: RoundContext = { timeZone, rules: { ...rules, attempts: { ...rules.attempts, minGapHours, maxFailed, minCalendarDays: Math.min(2, maxFailed) } }, customerPhoneIsAgentOrBranchPhone: false };
          let r = round([], { openedAt: start, notBefore: start });
          for (let i = 1; i <= maxFailed; i++) {
            const at = nextDialTime(r, start, c);
            expect(isWithinCallingHours(at, timeZone, c.rules)).toBe(true);
            const attempt = failed(at, reason);
            expect(() => assertAttemptAllowed(r, attempt, c)).not.toThrow();
            const d = decideAttempt(r, attempt, c);
            r = { ...r, attempts: [...r.attempts, attempt], status: d.status };
            if (i < maxFailed) {
              expect(d.status).toBe('OPEN');
              expect(d.nextAttemptNotBefore).toEqual(nextDialTime(r, at, c));
            } else {
              expect(d).toEqual({ status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' });
            }
          }
        },
      ),
    );
  });
});
