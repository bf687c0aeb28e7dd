/**
 * Who may see a customer's name, phone and address, decided once (docs/rules.md §7; the matrix and
 * its reasons are in docs/privacy.md). Every channel — views, queues, histories, searches,
 * e-mails, log lines — asks `customerDataAccess`, then shows the customer through
 * `shownCustomer` and free text through `scrubText`.
 */
import { maskIdNumbersInText, maskName, maskPhone, maskPhonesInText } from './masking.js';

/** Who reads: an API caller (role and subject), or a channel with no authenticated reader. */
export interface Reader {
  readonly role: string;
  readonly subject?: string;
  /** Set when the reader is held to a branch (staff directory; docs/api.md, Staff and scope). */
  readonly branchId?: string;
}

/** E-mail can be forwarded or mis-addressed; its reader is nobody in particular. */
export const EMAIL_READER: Reader = { role: 'e-mail' };
/** Log lines are read by operators, who never need customer data. */
export const LOG_READER: Reader = { role: 'log' };

/** The reader's relation to the policy read; a fact left out counts as absent (fail closed). */
export interface PolicyRelation {
  readonly ownerAgentId?: string;
  readonly branchId?: string;
  /** The policy sits in the manual-visit queue: the branch must go and see the customer. */
  readonly awaitingManualVisit?: boolean;
}

export interface CustomerDataAccess {
  readonly name: boolean;
  readonly phone: boolean;
  readonly address: boolean;
  /** The agent's own phone, as registered with the policy. */
  readonly agentPhone: boolean;
}

const NOTHING: CustomerDataAccess = { name: false, phone: false, address: false, agentPhone: false };

/** The role × relation matrix of docs/privacy.md: everything not granted here is masked. */
export function customerDataAccess(reader: Reader, relation: PolicyRelation): CustomerDataAccess {
  switch (reader.role) {
    case 'agent':
      // The owning agent sold the policy and keeps the contact data up to date.
      return reader.subject !== undefined && reader.subject === relation.ownerAgentId
        ? { name: true, phone: true, address: true, agentPhone: true }
        : NOTHING;
    case 'callcentre':
      // Dials the number and confirms the person answering is the policyholder; never visits.
      return { name: true, phone: true, address: false, agentPhone: false };
    case 'branch':
      // A coordinator visits the customer, only while the visit is due, and only its own
      // branch's customers when it is held to a branch (a branch unknown counts as another).
      if (reader.branchId !== undefined && reader.branchId !== relation.branchId) return NOTHING;
      return relation.awaitingManualVisit === true ? { name: true, phone: true, address: true, agentPhone: false } : NOTHING;
    default:
      // upstream (the source of the data, reads nothing back), compliance, manager, auditor,
      // e-mail, logs: they judge conduct and figures, never contact the customer.
      return NOTHING;
  }
}

export interface Customer {
  readonly name: string;
  readonly phone: string;
  readonly address?: string;
}

/** What a masked address shows: nothing of it. */
export const MASKED_ADDRESS = '***';

export const shownName = (name: string, access: CustomerDataAccess) => (access.name ? name : maskName(name));
export const shownPhone = (phone: string, access: CustomerDataAccess) => (access.phone ? phone : maskPhone(phone));
export const shownAddress = (address: string, access: CustomerDataAccess) => (access.address ? address : MASKED_ADDRESS);
export const shownAgentPhone = (phone: string, access: CustomerDataAccess) => (access.agentPhone ? phone : maskPhone(phone));

/** The customer as the reader may see it, each field in full or masked. */
export function shownCustomer(customer: Customer, access: CustomerDataAccess): Customer {
  return {
    name: shownName(customer.name, access),
    phone: shownPhone(customer.phone, access),
    ...(customer.address !== undefined ? { address: shownAddress(customer.address, access) } : {}),
  };
}

/** The customer's names and addresses on record, so that free text quoting them is masked too. */
export interface KnownCustomerValues {
  readonly names: readonly string[];
  readonly addresses: readonly string[];
}

const NOTHING_KNOWN: KnownCustomerValues = { names: [], addresses: [] };

/**
 * Free text (reasons, notes) as the reader may see it: ID-card numbers always masked (no
 * channel needs them); phone numbers masked unless the reader may see the phone; the known
 * name and addresses masked unless the reader may see them. One-character names are left
 * alone: replacing a single character everywhere would garble the text.
 */
export function scrubText(text: string, access: CustomerDataAccess, known: KnownCustomerValues = NOTHING_KNOWN): string {
  let out = maskIdNumbersInText(text);
  if (!access.address) for (const address of known.addresses) if (address.trim() !== '') out = out.replaceAll(address, MASKED_ADDRESS);
  if (!access.name) for (const name of known.names) if (Array.from(name.trim()).length >= 2) out = out.replaceAll(name, maskName(name));
  return access.phone ? out : maskPhonesInText(out);
}
