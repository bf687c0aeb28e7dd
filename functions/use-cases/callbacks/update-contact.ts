import { BusinessRuleError } from '../../domain/errors.js';
import { isAgentOrBranchPhone } from '../../domain/contact-rule.js';
import { requestHash } from '../../lifecycle/event-hash.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import type { ContactUpdateInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import { assertMayActOn, assertNotCancelled } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';

/**
 * The agent confirms or updates the customer's contact during the 10-day window (docs/rules.md §3.3).
 * 1. Only the owning agent, only while the window is open; a replay of the answer returns the view.
 * 2. The agent's own phone is never accepted as the customer's (422).
 * 3. The answer ends the window: the second callback starts at once.
 */
export async function updateContact(deps: Dependencies, policyId: string, input: ContactUpdateInput, caller: Caller): Promise<PolicyView> {
  const hash = requestHash(input);
  return runPolicyCommand(deps, policyId, caller, ({ state }) => {
    assertMayActOn(state, caller);
    const window = state.contactWindow;
    if (window?.requestHash === hash) return { result: (s) => policyView(s, caller) };
    assertNotCancelled(state);
    if (!window || window.outcome || state.callbackOutcome) {
      throw new ConflictError('NO_CONTACT_WINDOW', `policy ${policyId} has no open contact-update window`);
    }
    const confirmed = 'confirm' in input;
    const phone = 'phone' in input ? input.phone : undefined;
    if (phone && isAgentOrBranchPhone(phone, state.policy.agent.phone)) {
      throw new BusinessRuleError('AGENT_PHONE_AS_CUSTOMER', "the agent's own phone must never be entered as the customer's phone");
    }
    return {
      event: {
        type: 'ContactUpdated',
        confirmed,
        agentPhoneAsCustomer: false,
        requestHash: hash,
        ...(phone ? { phone } : {}),
        ...('address' in input && input.address ? { address: input.address } : {}),
      },
      result: (s) => policyView(s, caller),
    };
  });
}
