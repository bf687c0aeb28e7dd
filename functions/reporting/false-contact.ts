import { isAgentOrBranchPhone } from '../domain/contact-rule.js';
import type { EventData } from '../lifecycle/events.js';

/**
 * False customer contact information (docs/rules.md §3 "Contact data rules"): the agent's or
 * branch's phone entered as the customer's, or a manual visit finding the number wrong.
 */
export type FalseContactKind = 'AGENT_OR_BRANCH_PHONE_AS_CUSTOMER' | 'WRONG_PHONE_AT_MANUAL_VISIT';

/** The finding an event records, if any; decided from the event alone, so it can be indexed at append time. */
export function falseContactKindOf(data: EventData): FalseContactKind | undefined {
  switch (data.type) {
    case 'PolicyRegistered':
      return isAgentOrBranchPhone(data.policy.policyholder.phone, data.policy.agent.phone) ? 'AGENT_OR_BRANCH_PHONE_AS_CUSTOMER' : undefined;
    case 'ContactUpdated':
      return data.agentPhoneAsCustomer ? 'AGENT_OR_BRANCH_PHONE_AS_CUSTOMER' : undefined;
    case 'CallbackAttemptRecorded':
      return data.attempt.reason === 'AGENT_OR_BRANCH_PHONE' || data.endReason === 'AGENT_PHONE_AS_CUSTOMER' ? 'AGENT_OR_BRANCH_PHONE_AS_CUSTOMER' : undefined;
    case 'ManualVisitRecorded':
      return data.phoneWrongOrOutOfUse ? 'WRONG_PHONE_AT_MANUAL_VISIT' : undefined;
    default:
      return undefined;
  }
}
