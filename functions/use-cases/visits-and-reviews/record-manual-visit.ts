import { requestHash } from '../../lifecycle/event-hash.js';
import type { ManualVisitOutcome } from '../../lifecycle/events.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { ManualVisitInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import { assertVisitorIsNotAgent } from '../duties.js';
import { assertMayActOn, assertNotCancelled, assertNotInFuture, replayConflict } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/** docs/rules.md §3.6: success releases, success on a wrong number releases minus 40, failure forfeits. */
export function manualVisitOutcome(input: ManualVisitInput): ManualVisitOutcome {
  if (input.findings && (input.findings.proxySignature || input.findings.misleading)) return 'FINDINGS';
  if (!input.success) return 'FAILURE';
  return input.phoneWrongOrOutOfUse ? 'SUCCESS_WRONG_PHONE' : 'SUCCESS';
}

/** The branch reports the manual visit ordered after a failed second callback. */
export async function recordManualVisit(deps: Dependencies, policyId: string, input: ManualVisitInput, caller: Caller): Promise<PolicyView> {
  const hash = requestHash(input);
  const now = deps.clock.now();
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    assertMayActOn(state, caller);
    assertVisitorIsNotAgent(state, input.visitorId, caller);
    const visit = state.manualVisit;
    if (visit?.outcome) {
      if (visit.requestHash === hash) return { result: (s) => policyView(s, caller) };
      throw replayConflict(`the manual visit of policy ${policyId}`);
    }
    assertNotCancelled(state);
    if (!visit || state.callbackOutcome) throw new ConflictError('NO_MANUAL_VISIT', `no manual visit is open for policy ${policyId}`);
    assertNotInFuture('visitedAt', input.visitedAt, now);
    const outcome = manualVisitOutcome(input);
    return {
      event: {
        type: 'ManualVisitRecorded',
        visitedAt: new Date(input.visitedAt).toISOString(),
        outcome,
        phoneWrongOrOutOfUse: input.phoneWrongOrOutOfUse,
        visitorId: input.visitorId,
        requestHash: hash,
        ...(input.findings ? { findings: input.findings } : {}),
      },
      result: (s) => policyView(s, caller),
    };
  });
}
