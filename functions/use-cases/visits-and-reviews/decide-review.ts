import { requestHash } from '../../lifecycle/event-hash.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { ReviewDecisionInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import { assertReviewerIndependent } from '../duties.js';
import { assertMayActOn, assertNotCancelled, replayConflict } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/** Compliance dismisses findings (→ pass) or upholds them (→ forfeit and a quality incident). */
export async function decideReview(deps: Dependencies, policyId: string, input: ReviewDecisionInput, caller: Caller): Promise<PolicyView> {
  const hash = requestHash(input);
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    assertMayActOn(state, caller);
    assertReviewerIndependent(state, caller);
    const review = state.review;
    if (review?.decision) {
      if (review.requestHash === hash) return { result: (s) => policyView(s, caller) };
      throw replayConflict(`the compliance review of policy ${policyId}`);
    }
    assertNotCancelled(state);
    if (!review) throw new ConflictError('NO_REVIEW', `no compliance review is open for policy ${policyId}`);
    return {
      event: { type: 'ReviewDecided', decision: input.decision, note: input.note, requestHash: hash },
      result: (s) => policyView(s, caller),
    };
  });
}
