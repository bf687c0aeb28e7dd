import { describe, it, expect } from 'vitest';
import {
  RULE_SETS,
  RULE_SET_NAMES,
  UnknownRuleSetError,
  resolveRuleSet,
  ruleSetByVersion,
  ruleSetSchema,
  type RuleSet,
} from '../../../functions/domain/rule-set.js';

const base = (): RuleSet => structuredClone(resolveRuleSet('default'));

describe('built-in rule sets', () => {
  it('default v1 carries the docs/rules.md defaults', () => {
    const rs = resolveRuleSet();
    expect(rs).toMatchObject({
      name: 'default',
      version: 1,
      firstCallbackAfterHours: 240,
      callbackRoundMaxDays: 10,
      contactWindowDays: 10,
      attempts: { maxFailed: 3, minCalendarDays: 2, minGapHours: 6, endAtOnceGroups: ['NUMBER_PROBLEM', 'REFUSED'] },
      callingHours: { start: '09:00', end: '21:00' },
      defaultTimeZone: 'Asia/Shanghai',
      manualVisit: { escalateAfterDays: 30, escalateEveryDays: 1 },
      review: { escalateAfterDays: 10, escalateEveryDays: 1 },
      receipt: { lateAfterMonths: 3, neverReturnedAfterMonths: 12 },
      deductions: { wrongPhone: '40.00', lateReceipt: '20.00' },
      settlement: { dayOfMonth: 20, localTime: '09:00', timeZone: 'Asia/Shanghai' },
    });
  });

  it('strict-72h differs from default only in the first-callback and round timings', () => {
    const strict = resolveRuleSet('strict-72h');
    expect(strict.firstCallbackAfterHours).toBe(0);
    expect(strict.callbackRoundMaxDays).toBe(3);
    const { name: _n, description: _d, firstCallbackAfterHours: _f, callbackRoundMaxDays: _c, ...rest } = strict;
    const { name: _n2, description: _d2, firstCallbackAfterHours: _f2, callbackRoundMaxDays: _c2, ...defaults } = resolveRuleSet();
    expect(rest).toEqual(defaults);
  });

  it('all pass the schema and are frozen', () => {
    for (const rs of RULE_SETS) expect(ruleSetSchema.parse(rs)).toEqual(rs);
    const rs = resolveRuleSet();
    expect(Object.isFrozen(rs)).toBe(true);
    expect(Object.isFrozen(rs.attempts.endAtOnceGroups)).toBe(true);
    expect(() => (rs.attempts as { maxFailed: number }).maxFailed = 1).toThrow(TypeError);
  });

  it('names are listed once each', () => {
    expect(RULE_SET_NAMES).toEqual(['default', 'strict-72h', 'art15']);
  });
});

describe('lookup', () => {
  it('throws UnknownRuleSetError naming the known sets', () => {
    expect(() => resolveRuleSet('lenient')).toThrow(UnknownRuleSetError);
    expect(() => resolveRuleSet('lenient')).toThrow(/"lenient".*default, strict-72h/);
    expect(() => ruleSetByVersion('default', 2)).toThrow(UnknownRuleSetError);
    expect(() => ruleSetByVersion('nope', 1)).toThrow(/known rule sets: default, strict-72h/);
  });

  it('finds an exact version', () => {
    expect(ruleSetByVersion('strict-72h', 1)).toBe(resolveRuleSet('strict-72h'));
  });
});

describe('ruleSetSchema refinements', () => {
  const rejects = (mutate: (rs: RuleSet) => void, message: RegExp) => {
    const rs = base();
    mutate(rs);
    const result = ruleSetSchema.safeParse(rs);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  };

  it('rejects calling hours whose start is not before the end', () => {
    rejects((rs) => (rs.callingHours = { start: '21:00', end: '09:00' }), /start must be before/);
    rejects((rs) => (rs.callingHours = { start: '09:00', end: '09:00' }), /start must be before/);
  });
  it('rejects malformed times, unknown zones and bad money', () => {
    rejects((rs) => (rs.callingHours.end = '24:00'), /HH:mm/);
    rejects((rs) => (rs.callingHours.start = '9:00'), /HH:mm/);
    rejects((rs) => (rs.defaultTimeZone = 'Mars/Olympus'), /IANA/);
    rejects((rs) => (rs.settlement.timeZone = 'Beijing'), /IANA/);
    rejects((rs) => (rs.deductions.wrongPhone = '40.001'), /CNY amount/);
    rejects((rs) => (rs.deductions.lateReceipt = '-20.00'), /CNY amount/);
  });
  it('rejects inconsistent numbers', () => {
    rejects((rs) => (rs.version = 0), /version/);
    rejects((rs) => (rs.receipt.neverReturnedAfterMonths = 3), /greater than lateAfterMonths/);
    rejects((rs) => (rs.attempts.minCalendarDays = 4), /cannot exceed maxFailed/);
    rejects((rs) => (rs.settlement.dayOfMonth = 31), /dayOfMonth/);
    rejects((rs) => (rs.attempts.endAtOnceGroups = ['NUMBER_PROBLEM', 'NOPE' as 'REFUSED']), /endAtOnceGroups/);
  });
  it('accepts a valid variant in another zone', () => {
    const rs = base();
    rs.name = 'us-pilot';
    rs.defaultTimeZone = 'America/New_York';
    expect(ruleSetSchema.parse(rs).defaultTimeZone).toBe('America/New_York');
  });
});
