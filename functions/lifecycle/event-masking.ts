import { maskName, maskPhone, maskPhonesInText } from '../domain/masking.js';
import type { EventData } from './events.js';
import type { Viewer } from './policy-view.js';

/** Only the owning agent (and the call centre, which dials) may read a customer's contact data (RULES.md §7). */
export function mayReadContactData(viewer: Viewer, ownerAgentId: string): boolean {
  return viewer.role === 'callcentre' || (viewer.role === 'agent' && viewer.subject === ownerAgentId);
}

const MASKED_ADDRESS = '***';
const text = (value: string | undefined) => (value === undefined ? undefined : maskPhonesInText(value));

/**
 * An event's data as a viewer may see it: the policyholder's name, phone and address and the
 * agent's phone masked, phone numbers scrubbed from free text. The stored event is untouched
 * (its hash covers the original), so masking never affects verification.
 */
export function maskEventData(data: EventData, viewer: Viewer, ownerAgentId: string): EventData {
  if (mayReadContactData(viewer, ownerAgentId)) return data;
  switch (data.type) {
    case 'PolicyRegistered': {
      const { policy } = data;
      return {
        ...data,
        policy: {
          ...policy,
          agent: { ...policy.agent, phone: maskPhone(policy.agent.phone) },
          policyholder: {
            name: maskName(policy.policyholder.name),
            phone: maskPhone(policy.policyholder.phone),
            ...(policy.policyholder.address !== undefined ? { address: MASKED_ADDRESS } : {}),
          },
        },
      };
    }
    case 'ContactUpdated':
      return {
        ...data,
        ...(data.phone !== undefined ? { phone: maskPhone(data.phone) } : {}),
        ...(data.address !== undefined ? { address: MASKED_ADDRESS } : {}),
      };
    case 'SpecialRequestFiled':
      return { ...data, reason: maskPhonesInText(data.reason) };
    case 'SpecialRequestDecided':
      return data.note === undefined ? data : { ...data, note: text(data.note) };
    case 'ReviewDecided':
      return { ...data, note: maskPhonesInText(data.note) };
    case 'PolicyCancelled':
      return { ...data, reason: maskPhonesInText(data.reason) };
    default:
      return data;
  }
}
