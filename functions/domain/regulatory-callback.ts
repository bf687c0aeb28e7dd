/**
 * The regulatory callback (docs/rules.md §8; 《人身保险业务基本服务规定》 art. 15): the seven
 * points a reached call confirms, which of them a rule set makes mandatory for a product, and
 * what the answers mean for the round. Pure.
 */
import type { Findings } from './callback-round.js';

/** The seven points, in the order of art. 15. */
export const CONFIRMATION_POINTS = [
  'identity',
  'purchasedAndSigned',
  'readAndUnderstood',
  'coverAndExclusions',
  'surrenderLoss',
  'coolingOff',
  'paymentTerms',
] as const;
export type ConfirmationPoint = (typeof CONFIRMATION_POINTS)[number];

export const CONFIRMATION_ANSWERS = ['YES', 'NO', 'NOT_ASKED'] as const;
export type ConfirmationAnswer = (typeof CONFIRMATION_ANSWERS)[number];
export type Confirmations = Record<ConfirmationPoint, ConfirmationAnswer>;

export const PAYMENT_PLANS = ['SINGLE', 'INSTALMENT'] as const;
export type PaymentPlan = (typeof PAYMENT_PLANS)[number];

/** The part of a rule set this module reads (domain/rule-set.ts `confirmations`, `paymentPlans`). */
export interface ConfirmationRules {
  readonly confirmations: {
    /** true: a reached call missing a mandatory point (or the recording) is refused; false: accepted and reported. */
    readonly enforced: boolean;
    readonly mandatory: readonly ConfirmationPoint[];
    /** Mandatory in addition for an instalment plan (art. 15 (7)). */
    readonly instalmentMandatory: readonly ConfirmationPoint[];
    /** Per product code: replaces `mandatory` for that product. */
    readonly byProduct: Readonly<Record<string, readonly ConfirmationPoint[]>>;
  };
  readonly paymentPlans: { readonly default: PaymentPlan; readonly byProduct: Readonly<Record<string, PaymentPlan>> };
}

/** The policy's plan: as registered, else the product's, else the rule set's default. */
export function paymentPlanOf(rules: ConfirmationRules, productCode: string, registered?: PaymentPlan): PaymentPlan {
  return registered ?? rules.paymentPlans.byProduct[productCode] ?? rules.paymentPlans.default;
}

/** The points a call about this product and plan must ask, in art. 15 order. */
export function mandatoryPoints(rules: ConfirmationRules, productCode: string, plan: PaymentPlan): ConfirmationPoint[] {
  const base = rules.confirmations.byProduct[productCode] ?? rules.confirmations.mandatory;
  const wanted = new Set<ConfirmationPoint>(base);
  if (plan === 'INSTALMENT') for (const p of rules.confirmations.instalmentMandatory) wanted.add(p);
  return CONFIRMATION_POINTS.filter((p) => wanted.has(p));
}

/** Every point answered; a point the caller left out was not asked. */
export function completeConfirmations(given: Partial<Confirmations> | undefined): Confirmations {
  const out = {} as Confirmations;
  for (const p of CONFIRMATION_POINTS) out[p] = given?.[p] ?? 'NOT_ASKED';
  return out;
}

/** What a reached call lacks as regulatory evidence: the mandatory points not answered, and the recording. */
export function missingEvidence(
  confirmations: Confirmations,
  mandatory: readonly ConfirmationPoint[],
  recording: { recordingRef?: string; durationSeconds?: number },
): string[] {
  const missing = mandatory.filter((p) => confirmations[p] === 'NOT_ASKED').map((p) => `confirmations.${p}`);
  if (recording.recordingRef === undefined) missing.push('recordingRef');
  if (recording.durationSeconds === undefined) missing.push('durationSeconds');
  return missing;
}

const MISLEADING_POINTS: readonly ConfirmationPoint[] = ['readAndUnderstood', 'coverAndExclusions', 'surrenderLoss', 'coolingOff', 'paymentTerms'];

/**
 * Findings of a reached policyholder: a NO on point 2 is a proxy signature, a NO on 3–7 a
 * misleading sale, united with the findings the operator flagged (an explicit `false` there
 * does not cancel a NO: the answer is the evidence).
 */
export function findingsOf(confirmations: Confirmations, flagged?: Findings): Findings {
  return {
    proxySignature: (flagged?.proxySignature ?? false) || confirmations.purchasedAndSigned === 'NO',
    misleading: (flagged?.misleading ?? false) || MISLEADING_POINTS.some((p) => confirmations[p] === 'NO'),
  };
}

/** `identity: NO`: the person who answered is not the policyholder, so the policyholder was not reached. */
export function policyholderNotReached(confirmations: Partial<Confirmations> | undefined): boolean {
  return confirmations?.identity === 'NO';
}
