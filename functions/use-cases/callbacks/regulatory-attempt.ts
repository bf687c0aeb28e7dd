import type { Findings } from '../../domain/callback-round.js';
import type { FailureReason } from '../../domain/failure-reasons.js';
import {
  completeConfirmations, findingsOf, mandatoryPoints, missingEvidence, paymentPlanOf, policyholderNotReached, type Confirmations,
} from '../../domain/regulatory-callback.js';
import type { RuleSet } from '../../domain/rule-set.js';
import type { PolicyRecord } from '../../lifecycle/events.js';
import { ValidationError } from '../errors.js';
import type { CallbackAttemptInput } from '../inputs.js';

/** A call as the round sees it, with its regulatory evidence (docs/rules.md §8). */
export interface RegulatoryAttempt {
  readonly reached: boolean;
  readonly reason?: FailureReason;
  readonly findings?: Findings;
  readonly confirmations?: Confirmations;
  /** What a reached policyholder call lacks as evidence; empty when complete or not reached. */
  readonly missing: string[];
}

/**
 * Reads the art. 15 answers of one call:
 * - `identity: NO` on a reached call: someone else answered, so the policyholder was not reached
 *   (a failed attempt, reason NOT_PRESENT: the customer was not there);
 * - a NO on point 2 is a proxy signature, on 3–7 a misleading sale, united with `findings`;
 * - a rule set that enforces the points refuses a reached call missing one (400 naming each).
 */
export function regulatoryAttempt(input: CallbackAttemptInput, policy: PolicyRecord, rules: RuleSet): RegulatoryAttempt {
  const notThePolicyholder = policyholderNotReached(input.confirmations);
  const confirmations = input.reached || input.confirmations ? completeConfirmations(input.confirmations) : undefined;
  const mandatory = mandatoryPoints(rules, policy.productCode, paymentPlanOf(rules, policy.productCode, policy.paymentPlan));
  if (input.reached && rules.confirmations.enforced) {
    // Someone else answered: only the identity question could be asked, but the call is still recorded.
    const asked = notThePolicyholder ? mandatory.filter((p) => p === 'identity') : mandatory;
    const missing = missingEvidence(confirmations ?? completeConfirmations(undefined), asked, input);
    if (missing.length > 0) {
      throw new ValidationError(`${missing.join(', ')} required by rule set ${rules.name}`, missing.map((field) => ({
        field,
        rule: 'required_by_rule_set',
        message: field.startsWith('confirmations.')
          ? `${field} must be answered YES or NO under rule set ${rules.name} (product ${policy.productCode})`
          : `${field} is required for a reached call under rule set ${rules.name}`,
      })));
    }
  }
  if (!input.reached) {
    return { reached: false, ...(input.reason ? { reason: input.reason as FailureReason } : {}), ...(confirmations ? { confirmations } : {}), missing: [] };
  }
  if (notThePolicyholder) return { reached: false, reason: 'NOT_PRESENT', ...(confirmations ? { confirmations } : {}), missing: [] };
  const all = confirmations ?? completeConfirmations(undefined);
  const findings = findingsOf(all, input.findings);
  const anyFinding = findings.proxySignature || findings.misleading;
  return {
    reached: true,
    ...(input.findings || anyFinding ? { findings } : {}),
    confirmations: all,
    missing: missingEvidence(all, mandatory, input),
  };
}
