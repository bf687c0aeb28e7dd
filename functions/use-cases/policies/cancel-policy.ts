import { requestHash } from '../../lifecycle/event-hash.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { CancellationInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { replayConflict } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/** Surrender or cancellation at any stage: every open wait fails with PolicyCancelled; unpaid commission is not paid. */
export async function cancelPolicy(deps: Dependencies, policyId: string, input: CancellationInput, caller: Caller): Promise<PolicyView> {
  const hash = requestHash(input);
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    if (state.cancelled) {
      if (state.cancelled.requestHash === hash) return { result: (s) => policyView(s, caller) };
      throw replayConflict(`the cancellation of policy ${policyId}`);
    }
    return {
      event: { type: 'PolicyCancelled', cancelledAt: new Date(input.cancelledAt).toISOString(), reason: input.reason, requestHash: hash },
      result: (s) => policyView(s, caller),
    };
  });
}
