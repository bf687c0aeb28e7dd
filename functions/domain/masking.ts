/** Masking (脱敏) of customer data for logs, notifications and auditor views (docs/rules.md §7). */
import { normalisePhone } from './contact-rule.js';

// Mainland mobiles and fixed lines with area code have 11-12 digits; shorter numbers are
// mostly local fixed lines, where first-3 + last-4 would reveal almost everything.
const FULL_NUMBER_DIGITS = 11;

/** "13800000000" → "138****0000"; short numbers keep only the last 2 digits. Never more than 7 digits shown. */
export function maskPhone(phone: string): string {
  const digits = normalisePhone(phone).replace(/\D/g, '');
  const n = digits.length;
  if (n >= FULL_NUMBER_DIGITS) return `${digits.slice(0, 3)}${'*'.repeat(n - 7)}${digits.slice(-4)}`;
  // Up to 4 digits, showing 2 would reveal half: mask all.
  if (n <= 4) return '*'.repeat(n);
  return `${'*'.repeat(n - 2)}${digits.slice(-2)}`;
}

/** "张三" → "张*", "Li Lei" → "L*****": first character kept, every other one masked. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim()); // code points, so CJK outside the BMP stay whole
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

// A country code and/or "(area)" followed by digits, or a bare group of 3+ digits; then
// more groups of 3+ digits, each after an optional space or dash. Requiring 3+ digits per
// bare group keeps dates such as 2026-05-01 from being taken for phone numbers.
const PHONE_LIKE =
  /(?<!\d)(?:(?:(?:\+|00)86[ -]?(?:\(\d{1,4}\)[ -]?)?|\(\d{2,4}\)[ -]?)\d{2,}|\d{3,})(?:[ -]?\d{3,})*/g;

/** Replaces every phone-like run of 7+ digits with its masked form; used to scrub logs. */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_LIKE, (match) => (match.replace(/\D/g, '').length >= 7 ? maskPhone(match) : match));
}

// Resident ID card numbers: 18 characters (17 digits and a check digit or X), or the old 15 digits.
// Neither starts with 0, which keeps "0086…" phone numbers out.
const ID_CARD_LIKE = /(?<![0-9A-Za-z])(?:[1-9]\d{16}[\dXx]|[1-9]\d{14})(?![0-9A-Za-z])/g;

/** Replaces every ID-card-like number with its last 4 characters behind asterisks. */
export function maskIdNumbersInText(text: string): string {
  return text.replace(ID_CARD_LIKE, (match) => `${'*'.repeat(match.length - 4)}${match.slice(-4)}`);
}
