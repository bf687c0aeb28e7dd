import {
  scrubText, shownAddress, shownAgentPhone, shownCustomer, shownPhone, type CustomerDataAccess, type KnownCustomerValues,
} from '../domain/customer-privacy.js';
import type { EventData } from '../lifecycle/events.js';

const FREE_TEXT_EVENTS: ReadonlySet<string> = new Set(['SpecialRequestFiled', 'SpecialRequestDecided', 'ReviewDecided', 'PolicyCancelled']);

/** Whether an event carries free text (a reason or note) that may quote the customer. */
export function carriesFreeText(data: EventData): boolean {
  return FREE_TEXT_EVENTS.has(data?.type);
}

/**
 * An event's data as a reader with `access` may see it (domain/customer-privacy.ts): the
 * policyholder's name, phone and address and the agent's phone in full or masked, free text
 * scrubbed. The stored event is untouched (its hash covers the original), so masking never
 * affects verification.
 */
export function maskEventData(data: EventData, access: CustomerDataAccess, known?: KnownCustomerValues): EventData {
  const text = (value: string) => scrubText(value, access, known);
  switch (data.type) {
    case 'PolicyRegistered': {
      const { policy } = data;
      return {
        ...data,
        policy: {
          ...policy,
          agent: { ...policy.agent, phone: shownAgentPhone(policy.agent.phone, access) },
          policyholder: shownCustomer(policy.policyholder, access),
        },
      };
    }
    case 'ContactUpdated':
      return {
        ...data,
        ...(data.phone !== undefined ? { phone: shownPhone(data.phone, access) } : {}),
        ...(data.address !== undefined ? { address: shownAddress(data.address, access) } : {}),
      };
    case 'SpecialRequestFiled':
      return { ...data, reason: text(data.reason) };
    case 'SpecialRequestDecided':
      return data.note === undefined ? data : { ...data, note: text(data.note) };
    case 'ReviewDecided':
      return { ...data, note: text(data.note) };
    case 'PolicyCancelled':
      return { ...data, reason: text(data.reason) };
    default:
      return data;
  }
}
