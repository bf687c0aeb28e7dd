/**
 * Decisions inside one callback round (docs/rules.md §3 "Call attempts inside one callback
 * round"). Pure: the caller supplies the round so far, the new attempt and the context.
 */
import { BusinessRuleError } from './errors.js';
import { failureGroupOf, type FailureReason } from './failure-reasons.js';
import { isWithinCallingHours, localDate, nextCallingTime, roundDeadline, startOfNextLocalDay } from './calendar.js';
import type { RuleSet } from './rule-set.js';

export type Findings = { proxySignature: boolean; misleading: boolean };
export type AttemptReport = { attemptId: string; calledAt: Date; reached: boolean; reason?: FailureReason; findings?: Findings };
export type RoundStatus = 'OPEN' | 'PASSED' | 'FAILED' | 'FINDINGS';
export type RoundEndReason =
  | 'REACHED'
  | 'FINDINGS'
  | 'MAX_FAILED_ATTEMPTS'
  | 'NUMBER_PROBLEM'
  | 'REFUSED'
  | 'AGENT_PHONE_AS_CUSTOMER'
  | 'TIMED_OUT';
export type RoundSnapshot = { round: number; openedAt: Date; notBefore: Date; attempts: readonly AttemptReport[]; status: RoundStatus };
export type RoundContext = { timeZone: string; rules: RuleSet; customerPhoneIsAgentOrBranchPhone: boolean };
export type AttemptDecision = { status: RoundStatus; endReason?: RoundEndReason; nextAttemptNotBefore?: Date };

const HOUR_MS = 3_600_000;

function latest(dates: readonly Date[]): Date | undefined {
  let max: Date | undefined;
  for (const d of dates) if (!max || d.getTime() > max.getTime()) max = d;
  return max;
}

function failedAttempts(attempts: readonly AttemptReport[]): AttemptReport[] {
  return attempts.filter((a) => !a.reached);
}

export function failedAttemptCount(round: Pick<RoundSnapshot, 'attempts'>): number {
  return failedAttempts(round.attempts).length;
}

function distinctLocalDays(attempts: readonly AttemptReport[], timeZone: string): Set<string> {
  return new Set(attempts.map((a) => localDate(a.calledAt, timeZone)));
}

/**
 * Earliest time for the next call after `failed` (all unsuccessful attempts so far, in
 * order): at least minGapHours after the last one, inside calling hours, and on a new local
 * day when the remaining attempts could otherwise not span minCalendarDays days.
 */
function earliestAfterFailures(failed: readonly AttemptReport[], from: Date, ctx: RoundContext): Date {
  const { attempts } = ctx.rules;
  const last = latest(failed.map((a) => a.calledAt));
  let candidate = from;
  if (last && last.getTime() + attempts.minGapHours * HOUR_MS > candidate.getTime()) {
    candidate = new Date(last.getTime() + attempts.minGapHours * HOUR_MS);
  }
  candidate = nextCallingTime(candidate, ctx.timeZone, ctx.rules);
  if (!last) return candidate;
  const daysStillNeeded = attempts.minCalendarDays - distinctLocalDays(failed, ctx.timeZone).size;
  const attemptsLeft = attempts.maxFailed - failed.length;
  const lastDay = localDate(last, ctx.timeZone);
  if (daysStillNeeded > 0 && attemptsLeft <= daysStillNeeded && localDate(candidate, ctx.timeZone) <= lastDay) {
    candidate = nextCallingTime(startOfNextLocalDay(last, ctx.timeZone), ctx.timeZone, ctx.rules);
  }
  return candidate;
}

function fail(rule: string, message: string, details: Record<string, unknown>): never {
  throw new BusinessRuleError(rule, message, details);
}

/** Throws BusinessRuleError when the attempt may not be recorded in this round. */
export function assertAttemptAllowed(round: RoundSnapshot, attempt: AttemptReport, ctx: RoundContext): void {
  const at = attempt.calledAt;
  if (round.status !== 'OPEN') {
    fail('ROUND_NOT_OPEN', `Callback round ${round.round} is ${round.status}; no further attempts can be recorded.`, {
      round: round.round,
      status: round.status,
    });
  }
  if (at.getTime() < round.notBefore.getTime()) {
    fail(
      'BEFORE_ROUND_START',
      `Callback round ${round.round} starts at ${round.notBefore.toISOString()}; the call at ${at.toISOString()} is too early.`,
      { notBefore: round.notBefore.toISOString() },
    );
  }
  const previous = latest(round.attempts.map((a) => a.calledAt));
  if (previous && at.getTime() < previous.getTime()) {
    fail(
      'NOT_AFTER_PREVIOUS_ATTEMPT',
      `Attempts must be reported in call order: this call (${at.toISOString()}) is earlier than the previous one (${previous.toISOString()}).`,
      { notBefore: previous.toISOString() },
    );
  }
  const lastFailed = latest(failedAttempts(round.attempts).map((a) => a.calledAt));
  const gapMs = ctx.rules.attempts.minGapHours * HOUR_MS;
  if (lastFailed && at.getTime() < lastFailed.getTime() + gapMs) {
    const notBefore = nextCallingTime(new Date(lastFailed.getTime() + gapMs), ctx.timeZone, ctx.rules);
    fail(
      'TOO_SOON_AFTER_FAILED_CALL',
      `Calls must be at least ${ctx.rules.attempts.minGapHours} hours after an unsuccessful call (last at ${lastFailed.toISOString()}); the earliest allowed time is ${notBefore.toISOString()}.`,
      { notBefore: notBefore.toISOString(), lastFailedAt: lastFailed.toISOString() },
    );
  }
  if (!isWithinCallingHours(at, ctx.timeZone, ctx.rules)) {
    const notBefore = nextCallingTime(at, ctx.timeZone, ctx.rules);
    const { start, end } = ctx.rules.callingHours;
    fail(
      'OUTSIDE_CALLING_HOURS',
      `Calls are allowed only between ${start} and ${end} ${ctx.timeZone} time; the earliest allowed time is ${notBefore.toISOString()}.`,
      { notBefore: notBefore.toISOString(), timeZone: ctx.timeZone, start, end },
    );
  }
}

/** Outcome of the round once `attempt` is added. Does not re-check assertAttemptAllowed. */
export function decideAttempt(round: RoundSnapshot, attempt: AttemptReport, ctx: RoundContext): AttemptDecision {
  const { rules } = ctx;
  if (attempt.reached) {
    if (attempt.findings && (attempt.findings.proxySignature || attempt.findings.misleading)) {
      return { status: 'FINDINGS', endReason: 'FINDINGS' };
    }
    // docs/rules.md §3 contact data: a policy cannot pass on the agent's or branch's own phone.
    if (ctx.customerPhoneIsAgentOrBranchPhone) return { status: 'FAILED', endReason: 'AGENT_PHONE_AS_CUSTOMER' };
    return { status: 'PASSED', endReason: 'REACHED' };
  }
  // Checked before the configurable groups: this is false customer information, which
  // must be recorded as such, and further calls on that number could never pass anyway.
  if (attempt.reason === 'AGENT_OR_BRANCH_PHONE' || ctx.customerPhoneIsAgentOrBranchPhone) {
    return { status: 'FAILED', endReason: 'AGENT_PHONE_AS_CUSTOMER' };
  }
  // A failed call without a code is treated as OTHER, which never ends a round at once.
  const group = failureGroupOf(attempt.reason ?? 'OTHER');
  if (rules.attempts.endAtOnceGroups.includes(group) && (group === 'NUMBER_PROBLEM' || group === 'REFUSED')) {
    return { status: 'FAILED', endReason: group };
  }
  if (rules.attempts.endAtOnceGroups.includes(group)) {
    // Other groups may be configured to end a round; they have no dedicated end reason.
    return { status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' };
  }
  const failed = [...failedAttempts(round.attempts), attempt];
  if (failed.length >= rules.attempts.maxFailed && distinctLocalDays(failed, ctx.timeZone).size >= rules.attempts.minCalendarDays) {
    return { status: 'FAILED', endReason: 'MAX_FAILED_ATTEMPTS' };
  }
  const from = attempt.calledAt.getTime() > round.notBefore.getTime() ? attempt.calledAt : round.notBefore;
  return { status: 'OPEN', nextAttemptNotBefore: earliestAfterFailures(failed, from, ctx) };
}

/** Earliest time the next call may be made: round start, gap after failures, calling hours, day spread. */
export function nextDialTime(round: RoundSnapshot, now: Date, ctx: RoundContext): Date {
  if (round.status !== 'OPEN') {
    fail('ROUND_NOT_OPEN', `Callback round ${round.round} is ${round.status}; there is no next call.`, {
      round: round.round,
      status: round.status,
    });
  }
  const from = latest([now, round.notBefore, ...round.attempts.map((a) => a.calledAt)]) ?? now;
  return earliestAfterFailures(failedAttempts(round.attempts), from, ctx);
}

/** True once the round has run past callbackRoundMaxDays; the caller then closes it as FAILED (TIMED_OUT). */
export function isRoundTimedOut(round: Pick<RoundSnapshot, 'openedAt' | 'status'>, now: Date, rules: RuleSet): boolean {
  return round.status === 'OPEN' && now.getTime() >= roundDeadline(round.openedAt, rules).getTime();
}
