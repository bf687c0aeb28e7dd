/**
 * Customer contact data rules (docs/rules.md §3 "Contact data rules"): the customer's phone
 * must never be the agent's own or a branch phone.
 */

/** API input form: mainland mobiles and fixed lines, optional +86; 7-20 chars, at least 7 digits. */
export const PHONE_PATTERN = /^(?=[+\d ()-]{7,20}$)(?=(?:\D*\d){7})\+?[\d ()-]+$/;

const MAINLAND_MOBILE = /^1\d{10}$/;

/**
 * Canonical digits for comparison: separators removed, the country code dropped so that
 * "+86 138-0000-0000", "008613800000000" and "13800000000" compare equal. A fixed line
 * written with +86 / 0086 gets its domestic trunk "0" back ("+86 10 1234 5678" → "01012345678").
 */
export function normalisePhone(p: string): string {
  const compact = p.replace(/[\s().-]/g, '');
  const intl = /^(?:\+|00)86(\d+)$/.exec(compact);
  if (intl?.[1]) {
    const national = intl[1];
    return MAINLAND_MOBILE.test(national) || national.startsWith('0') ? national : `0${national}`;
  }
  // A bare "86" prefix is only unambiguous in front of an 11-digit mobile.
  if (/^861\d{10}$/.test(compact)) return compact.slice(2);
  return compact;
}

export function isAgentOrBranchPhone(customerPhone: string, agentPhone: string, branchPhones: readonly string[] = []): boolean {
  const customer = normalisePhone(customerPhone);
  if (customer === '') return false;
  return [agentPhone, ...branchPhones].some((p) => normalisePhone(p) === customer);
}
