/**
 * Rule sets: the configurable timings and amounts of docs/rules.md, as validated, versioned
 * data. Each policy keeps the (name, version) it started under, for audit (docs/rules.md §6).
 */
import { IANAZone } from 'luxon';
import * as z from 'zod';
import { FAILURE_GROUPS } from './failure-reasons.js';
import { INTEGRITY_CASES } from './integrity-cases.js';
import { MONEY_PATTERN } from './money.js';
import { CONFIRMATION_POINTS, PAYMENT_PLANS } from './regulatory-callback.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

const timeOfDay = z.string().regex(HH_MM, 'expected a local time "HH:mm" (00:00-23:59)');
const ianaZone = z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'expected a valid IANA time zone' });
const moneyText = z.string().regex(MONEY_PATTERN, 'expected a non-negative CNY amount with at most 2 decimals');
const positiveInt = z.number().int().min(1);

const escalation = z.object({ escalateAfterDays: positiveInt, escalateEveryDays: positiveInt });
const productCode = z.string().min(1).max(32);
const confirmationPoints = z.array(z.enum(CONFIRMATION_POINTS));

// Points in tenths at most: the seed's table has halves (0.5), and sums stay exact in tenths.
const points = z.number().min(0).max(1000).refine((p) => Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, 'expected points with at most one decimal, e.g. 0.5');

/** The agent integrity file (docs/rules.md §9, seeds 002 第六章 and 003 诚信档案). */
const integrity = z.object({
  startScore: positiveInt,
  pointsPerCase: z.object(Object.fromEntries(INTEGRITY_CASES.map((c) => [c, points])) as Record<(typeof INTEGRITY_CASES)[number], typeof points>),
  restrictedBelow: positiveInt,
  dismissalAfterConsecutive: z.number().int().min(1).max(8),
  period: z.literal('QUARTER'),
});

/** Special requests: decide within, then remind after and every (docs/rules.md, Work inboxes). */
const specialRequestSla = escalation.extend({ decideWithinDays: positiveInt });
/** Work inboxes: when an item counts as due soon, and how near a round's deadline brings it into the inbox. */
const inboxRules = z.object({ dueSoonHours: z.number().positive(), roundDeadlineNearHours: z.number().positive() });

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
    // Optional so rule sets written before the inboxes stay valid; specialRequestSlaOf/inboxRulesOf give the defaults.
    specialRequest: specialRequestSla.optional(),
    inbox: inboxRules.optional(),
    receipt: z.object({ lateAfterMonths: positiveInt, neverReturnedAfterMonths: positiveInt }),
    deductions: z.object({ wrongPhone: moneyText, lateReceipt: moneyText }),
    /** Absent from a rule set: the default table below applies (rule sets written before it existed). */
    integrity: integrity.optional(),
    settlement: z.object({
      // 1-28 so that the day exists in every month.
      dayOfMonth: z.number().int().min(1).max(28),
      localTime: timeOfDay,
      timeZone: ianaZone,
    }),
    // docs/rules.md §8: the art. 15 points a reached call confirms, per product and payment plan.
    confirmations: z.object({
      enforced: z.boolean(),
      mandatory: confirmationPoints,
      instalmentMandatory: confirmationPoints,
      byProduct: z.record(productCode, confirmationPoints),
    }),
    paymentPlans: z.object({ default: z.enum(PAYMENT_PLANS), byProduct: z.record(productCode, z.enum(PAYMENT_PLANS)) }),
    coolingOff: z.object({ days: positiveInt, byProduct: z.record(productCode, positiveInt) }),
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
    if (rs.integrity && rs.integrity.restrictedBelow > rs.integrity.startScore) {
      ctx.addIssue({ code: 'custom', path: ['integrity', 'restrictedBelow'], message: 'restrictedBelow cannot exceed startScore: every agent would start restricted' });
    }
    if (rs.specialRequest && rs.specialRequest.escalateAfterDays < rs.specialRequest.decideWithinDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['specialRequest', 'escalateAfterDays'],
        message: 'escalateAfterDays cannot be less than decideWithinDays: a request is escalated only once it is overdue',
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
export type IntegrityTable = z.infer<typeof integrity>;

/**
 * Seed 002 第六章 points per case and seed 003 thresholds; what is marked "(default)" in
 * docs/rules.md §9 is our choice where the seeds name the offence but not its points.
 */
export const DEFAULT_INTEGRITY_TABLE: IntegrityTable = {
  startScore: 100,
  pointsPerCase: {
    RECEIPT_NOT_RETURNED: 1,
    RECEIPT_RETURNED_LATE: 1,
    CONTACT_UPDATE_NOT_RETURNED: 1,
    PROXY_SIGNATURE_UPHELD: 10,
    MISLEADING_UPHELD: 10,
    FALSE_CONTACT: 5,
  },
  restrictedBelow: 60,
  dismissalAfterConsecutive: 2,
  period: 'QUARTER',
};

export class UnknownRuleSetError extends Error {
  override readonly name = 'UnknownRuleSetError';
}

/** Product defaults (docs/rules.md, Work inboxes): decide a special request within 2 days, remind after 3, then daily. */
const DEFAULT_SPECIAL_REQUEST_SLA = { decideWithinDays: 2, escalateAfterDays: 3, escalateEveryDays: 1 };
/** Product defaults: due within 24 hours counts as due soon; a round enters the inbox 48 hours before its deadline. */
const DEFAULT_INBOX_RULES = { dueSoonHours: 24, roundDeadlineNearHours: 48 };

export type SpecialRequestSla = z.infer<typeof specialRequestSla>;
export type InboxRules = z.infer<typeof inboxRules>;

/** The special-request SLA of a rule set, its product default when the set names none. */
export function specialRequestSlaOf(rules: RuleSet): SpecialRequestSla {
  return rules.specialRequest ?? DEFAULT_SPECIAL_REQUEST_SLA;
}

/** The inbox thresholds of a rule set, their product defaults when the set names none. */
export function inboxRulesOf(rules: RuleSet): InboxRules {
  return rules.inbox ?? DEFAULT_INBOX_RULES;
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
  specialRequest: DEFAULT_SPECIAL_REQUEST_SLA,
  inbox: DEFAULT_INBOX_RULES,
  receipt: { lateAfterMonths: 3, neverReturnedAfterMonths: 12 },
  deductions: { wrongPhone: '40.00', lateReceipt: '20.00' },
  integrity: DEFAULT_INTEGRITY_TABLE,
  settlement: { dayOfMonth: 20, localTime: '09:00', timeZone: 'Asia/Shanghai' },
  // Additive data: it changes no decision of this set. Points 1-6 are asked on every call, 7
  // on instalment plans; not enforced here (v1 clients), reported as missing evidence instead.
  confirmations: {
    enforced: false,
    mandatory: ['identity', 'purchasedAndSigned', 'readAndUnderstood', 'coverAndExclusions', 'surrenderLoss', 'coolingOff'],
    instalmentMandatory: ['paymentTerms'],
    byProduct: {},
  },
  paymentPlans: { default: 'SINGLE', byProduct: {} },
  coolingOff: { days: 15, byProduct: {} },
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

/** docs/rules.md §8: the default timings, and a reached call must carry the art. 15 points and its recording. */
const ART15_V1: RuleSet = {
  ...DEFAULT_V1,
  name: 'art15',
  version: 1,
  description: 'Regulatory callback (CIRC Order 2010 No. 4, art. 15): default timings; a reached call must confirm the mandatory points and carry its recording.',
  confirmations: { ...DEFAULT_V1.confirmations, enforced: true },
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
  [DEFAULT_V1, STRICT_72H_V1, ART15_V1].map((rs) => deepFreeze(ruleSetSchema.parse(rs))),
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

/** The integrity table of a rule set (the default table when the set has none). */
export function integrityTableOf(ruleSet: RuleSet): IntegrityTable {
  return ruleSet.integrity ?? DEFAULT_INTEGRITY_TABLE;
}
