import { coolingOffPeriod, coolingOffStatus, type CoolingOffPeriod, type CoolingOffStatus } from '../domain/cooling-off.js';
import { ruleSetByVersion } from '../domain/rule-set.js';
import type { PolicyState } from './policy-state.js';

/** The policy's cooling-off period (docs/rules.md §8): from the receipt's signature once recorded, else from printing. */
export function coolingOffPeriodOf(state: PolicyState): CoolingOffPeriod {
  const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
  const signedAt = state.receipt.status === 'RETURNED' ? (state.receipt.signedAt ?? state.receipt.returnedAt) : undefined;
  return coolingOffPeriod(rules, state.policy, signedAt);
}

/** When the callback counted as passed: the passing call, or the review that dismissed the findings. */
function passedAt(state: PolicyState): string | undefined {
  if (state.callbackOutcome !== 'PASSED') return undefined;
  const passedRound = state.rounds.find((r) => r.status === 'PASSED');
  const call = passedRound?.attempts.at(-1);
  return call?.calledAt ?? state.review?.decidedAt ?? state.callbackOutcomeAt;
}

export function coolingOffOf(state: PolicyState, now: Date): CoolingOffStatus {
  const at = passedAt(state);
  return coolingOffStatus(
    coolingOffPeriodOf(state),
    { ...(at ? { passedAt: at } : {}), trackEnded: state.callbackOutcome !== undefined && state.callbackOutcome !== 'PASSED', cancelled: state.cancelled !== undefined },
    now,
  );
}

/** While a pass is still needed, when the period ends: the at-risk report reads it off the work queues. */
export function coolingOffDeadlineOf(state: PolicyState): string | undefined {
  if (state.callbackOutcome || state.cancelled) return undefined;
  return coolingOffPeriodOf(state).endsAt;
}
