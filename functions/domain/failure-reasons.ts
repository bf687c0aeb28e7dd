/** Failure reason codes for an unsuccessful call attempt, grouped as in `002` (docs/rules.md §3, docs/api.md). */

export const FAILURE_GROUPS = ['TEMPORARY', 'NUMBER_PROBLEM', 'SPECIAL', 'REFUSED', 'OTHER'] as const;
export type FailureGroup = (typeof FAILURE_GROUPS)[number];

const REASON_CODES = [
  'NO_ANSWER',
  'NOT_PRESENT',
  'HUNG_UP',
  'CALL_REFUSED',
  'BUSY',
  'INCONVENIENT',
  'POWERED_OFF',
  'NO_NUMBER',
  'EMPTY_NUMBER',
  'WRONG_NUMBER',
  'AGENT_OR_BRANCH_PHONE',
  'RECORDING',
  'FAX',
  'SUSPENDED',
  'NUMBER_PAUSED',
  'SPECIAL_REASON',
  'SURRENDERED',
  'SPECIAL_POLICY',
  'POLICYHOLDER_REFUSED',
  'FAMILY_REFUSED',
  'OTHER',
] as const;
export type FailureReason = (typeof REASON_CODES)[number];

// Typed as a non-empty tuple: `z.enum(FAILURE_REASONS)` keeps the literal types, and it
// still reads as a plain `readonly FailureReason[]` for everyone else.
export const FAILURE_REASONS: readonly [FailureReason, ...FailureReason[]] = REASON_CODES;

// Record<FailureReason, …> makes the compiler reject a code without a group.
export const FAILURE_REASON_GROUP: Readonly<Record<FailureReason, FailureGroup>> = Object.freeze({
  NO_ANSWER: 'TEMPORARY',
  NOT_PRESENT: 'TEMPORARY',
  HUNG_UP: 'TEMPORARY',
  CALL_REFUSED: 'TEMPORARY',
  BUSY: 'TEMPORARY',
  INCONVENIENT: 'TEMPORARY',
  POWERED_OFF: 'TEMPORARY',
  NO_NUMBER: 'NUMBER_PROBLEM',
  EMPTY_NUMBER: 'NUMBER_PROBLEM',
  WRONG_NUMBER: 'NUMBER_PROBLEM',
  AGENT_OR_BRANCH_PHONE: 'NUMBER_PROBLEM',
  RECORDING: 'NUMBER_PROBLEM',
  FAX: 'NUMBER_PROBLEM',
  SUSPENDED: 'NUMBER_PROBLEM',
  NUMBER_PAUSED: 'NUMBER_PROBLEM',
  SPECIAL_REASON: 'SPECIAL',
  SURRENDERED: 'SPECIAL',
  SPECIAL_POLICY: 'SPECIAL',
  POLICYHOLDER_REFUSED: 'REFUSED',
  FAMILY_REFUSED: 'REFUSED',
  OTHER: 'OTHER',
});

export function failureGroupOf(r: FailureReason): FailureGroup {
  return FAILURE_REASON_GROUP[r];
}

export function isFailureReason(value: string): value is FailureReason {
  return Object.prototype.hasOwnProperty.call(FAILURE_REASON_GROUP, value);
}
