import { isReceiptLate } from '../../domain/calendar.js';
import { ruleSetByVersion } from '../../domain/rule-set.js';
import { requestHash } from '../../lifecycle/event-hash.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { ReceiptInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError, ValidationError } from '../errors.js';
import { assertNotCancelled, assertNotInFuture, replayConflict } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/** The signed receipt is back (docs/rules.md §4); more than three months after the effective date it costs 20 CNY. */
export async function recordReceipt(deps: Dependencies, policyId: string, input: ReceiptInput, caller: Caller): Promise<PolicyView> {
  const hash = requestHash(input);
  const now = deps.clock.now();
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    if (state.receipt.status === 'RETURNED') {
      if (state.receipt.requestHash === hash) return { result: (s) => policyView(s, caller) };
      throw replayConflict(`the receipt of policy ${policyId}`);
    }
    assertNotCancelled(state);
    if (state.receipt.status === 'NEVER_RETURNED') {
      throw new ConflictError('RECEIPT_GIVEN_UP', `the receipt of policy ${policyId} was recorded as never returned`);
    }
    assertNotInFuture('returnedAt', input.returnedAt, now);
    if (new Date(input.returnedAt) < new Date(state.policy.printedAt)) {
      throw new ValidationError('returnedAt is before the policy was printed', [{ field: 'returnedAt', rule: 'after_printing', message: `must not be before ${state.policy.printedAt}` }]);
    }
    if (input.signedAt && new Date(input.signedAt) < new Date(state.policy.printedAt)) {
      throw new ValidationError('signedAt is before the policy was printed', [{ field: 'signedAt', rule: 'after_printing', message: `must not be before ${state.policy.printedAt}` }]);
    }
    const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
    const late = isReceiptLate(state.policy.effectiveAt, new Date(input.returnedAt), state.policy.timeZone, rules);
    return {
      event: {
        type: 'ReceiptReturned', returnedAt: new Date(input.returnedAt).toISOString(), late, requestHash: hash,
        // The cooling-off period starts at the signature (docs/rules.md §8).
        ...(input.signedAt ? { signedAt: new Date(input.signedAt).toISOString() } : {}),
      },
      result: (s) => policyView(s, caller),
    };
  });
}
