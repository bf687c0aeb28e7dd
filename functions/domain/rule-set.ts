/**
 * Rule sets: the configurable timings and amounts of docs/rules.md, as validated, versioned
 * data. Each policy keeps the (name, version) it started under, for audit (docs/rules.md §6).
 */
import { IANAZone } from 'luxon';
import * as z from 'zod';
import { FAILURE_GROUPS } from './failure-reasons.js';
import { MONEY_PATTERN } from './money.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const timeOfDay = z.string().regex(HH_MM, 'expected a local time "HH:mm" (00:00-23:59)');
const ianaZone = z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'expected a valid IANA time zone' });
const moneyText = z.string().regex(MONEY_PATTERN, 'expected a non-negative CNY amount with at most 2 decimals');
const positiveInt = z.number().int().min(1);

const escalation = z.object({ escalateAfterDays: positiveInt, escalateEveryDays: positiveInt });

export const ruleSetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case slug, e.g. "strict-72h"'),
    version: positiveInt,
    description: z.string().min(1),
    firstCallbackAfterHours: z.number().min(0),
    callbackRoundMaxDays: z.number().positive(),
    contactWindowDays: z.number().positive(),
    attempts: z.object({
      maxFailed: positiveInt,
      minCalendarDays: positiveInt,
      minGapHours: z.number().min(0),
      endAtOnceGroups: z.array(z.enum(FAILURE_GROUPS)),
    }),
    callingHours: z.object({ start: timeOfDay, end: timeOfDay }),
    defaultTimeZone: ianaZone,
    manualVisit: escalation,
    review: escalation,
    receipt: z.object({ lateAfterMonths: positiveInt, neverReturnedAfterMonths: positiveInt }),
    deductions: z.object({ wrongPhone: moneyText, lateReceipt: moneyText }),
    settlement: z.object({
      // 1-28 so that the day exists in every month.
      dayOfMonth: z.number().int().min(1).max(28),
      localTime: timeOfDay,
      timeZone: ianaZone,
    }),
  })
  .superRefine((rs, ctx) => {
    // "HH:mm" strings with fixed width compare correctly as text.
    if (rs.callingHours.start >= rs.callingHours.end) {
      ctx.addIssue({ code: 'custom', path: ['callingHours'], message: 'callingHours.start must be before callingHours.end' });
    }
    if (rs.receipt.neverReturnedAfterMonths <= rs.receipt.lateAfterMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['receipt', 'neverReturnedAfterMonths'],
        message: 'neverReturnedAfterMonths must be greater than lateAfterMonths',
      });
    }
    if (rs.attempts.minCalendarDays > rs.attempts.maxFailed) {
      ctx.addIssue({
        code: 'custom',
        path: ['attempts', 'minCalendarDays'],
        message: 'minCalendarDays cannot exceed maxFailed: the failed attempts could never span that many days',
      });
    }
  });

export type RuleSet = z.infer<typeof ruleSetSchema>;

export class UnknownRuleSetError extends Error {
  override readonly name = 'UnknownRuleSetError';
}

/** docs/rules.md defaults; "(default)" items there are our choices. */
const DEFAULT_V1: RuleSet = {
  name: 'default',
  version: 1,
  description: 'docs/rules.md defaults (002): first callback 10 days after printing, 3 failed attempts over 2 days end a round.',
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
};

/** `003` variant (docs/rules.md §6): callback due at once and concluded within 72 hours. */
const STRICT_72H_V1: RuleSet = {
  ...DEFAULT_V1,
  name: 'strict-72h',
  version: 1,
  description: '003 variant: first callback due at once, the round must conclude within 72 hours.',
  firstCallbackAfterHours: 0,
  callbackRoundMaxDays: 3,
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// Parsed at module load so that a bad edit fails fast; frozen because callers share them.
export const RULE_SETS: readonly RuleSet[] = Object.freeze(
  [DEFAULT_V1, STRICT_72H_V1].map((rs) => deepFreeze(ruleSetSchema.parse(rs))),
);

(function assertUniqueVersions() {
  const seen = new Set<string>();
  for (const rs of RULE_SETS) {
    const key = `${rs.name}@${rs.version}`;
    if (seen.has(key)) throw new Error(`Duplicate rule set ${key}`);
    seen.add(key);
  }
})();

export const RULE_SET_NAMES: readonly string[] = Object.freeze([...new Set(RULE_SETS.map((rs) => rs.name))]);

export const DEFAULT_RULE_SET_NAME = 'default';

function unknown(what: string): UnknownRuleSetError {
  return new UnknownRuleSetError(`Unknown rule set ${what}; known rule sets: ${RULE_SET_NAMES.join(', ')}`);
}

/** Latest version of the named rule set (the default set when no name is given). */
export function resolveRuleSet(name: string = DEFAULT_RULE_SET_NAME): RuleSet {
  let latest: RuleSet | undefined;
  for (const rs of RULE_SETS) {
    if (rs.name === name && (!latest || rs.version > latest.version)) latest = rs;
  }
  if (!latest) throw unknown(JSON.stringify(name));
  return latest;
}

/** The exact version a policy started under (audit replays must not silently upgrade). */
export function ruleSetByVersion(name: string, version: number): RuleSet {
  const found = RULE_SETS.find((rs) => rs.name === name && rs.version === version);
  if (!found) throw unknown(`${JSON.stringify(name)} version ${version}`);
  return found;
}
