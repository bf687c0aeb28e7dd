import type { Findings, RoundEndReason, RoundStatus } from '../domain/callback-round.js';
import type { FailureReason } from '../domain/failure-reasons.js';
import type { Confirmations, PaymentPlan } from '../domain/regulatory-callback.js';
import type { DeductionCode } from '../domain/commission.js';
import type { DeferReason, ForfeitReason, SettlementDecisionKind } from '../domain/settlement-decision.js';

/** Who caused an event: an API caller, or the workflow itself. */
export interface Actor {
  readonly role: string;
  readonly subject?: string;
}

export interface PolicyRecord {
  readonly policyId: string;
  readonly productCode: string;
  readonly branchId: string;
  readonly printedAt: string;
  readonly effectiveAt: string;
  readonly agent: { readonly agentId: string; readonly name: string; readonly phone: string; readonly email?: string };
  readonly policyholder: { readonly name: string; readonly phone: string; readonly address?: string };
  readonly commission: { readonly amount: string };
  readonly ruleSet: { readonly name: string; readonly version: number };
  readonly timeZone: string;
  /** As registered (docs/rules.md §8); absent: the product's plan in the rule set. */
  readonly paymentPlan?: PaymentPlan;
}

export interface AttemptRecord {
  readonly attemptId: string;
  readonly round: number;
  readonly calledAt: string;
  readonly reached: boolean;
  readonly reason?: FailureReason;
  readonly findings?: Findings;
  readonly operatorId: string;
  /** docs/rules.md §8: the art. 15 answers (every point, NOT_ASKED when not asked) and the call's recording. */
  readonly confirmations?: Confirmations;
  readonly recordingRef?: string;
  readonly durationSeconds?: number;
}

export type SpecialRequestType = 'EARLY' | 'EXEMPT';
export type ManualVisitOutcome = 'SUCCESS' | 'SUCCESS_WRONG_PHONE' | 'FAILURE' | 'FINDINGS';

/** Every business fact of a policy's lifecycle; the log of these is the source of truth. */
export type EventData =
  | { type: 'PolicyRegistered'; policy: PolicyRecord; requestHash: string }
  | { type: 'SpecialRequestFiled'; requestId: string; requestType: SpecialRequestType; reason: string; signedConfirmationRef?: string; requestHash: string }
  | { type: 'SpecialRequestDecided'; requestId: string; approve: boolean; note?: string }
  /** An undecided special request past its SLA: reminder `reminder` to the branch (docs/rules.md, Work inboxes). */
  | { type: 'SpecialRequestEscalated'; requestId: string; reminder: number }
  | { type: 'CallbackRoundOpened'; round: number; notBefore: string; deadline: string }
  | {
      type: 'CallbackAttemptRecorded';
      attempt: AttemptRecord;
      requestHash: string;
      roundStatus: RoundStatus;
      endReason?: RoundEndReason;
      nextAttemptNotBefore?: string;
      /** A reached call's missing regulatory evidence under the policy's rule set (docs/rules.md §8); absent: complete or not reached. */
      missingEvidence?: string[];
    }
  | { type: 'CallbackRoundTimedOut'; round: number }
  | { type: 'ContactWindowOpened'; closesAt: string }
  | { type: 'ContactUpdated'; phone?: string; address?: string; confirmed: boolean; agentPhoneAsCustomer: boolean; requestHash: string }
  | { type: 'ContactWindowClosedUnanswered' }
  | { type: 'ManualVisitOrdered'; dueBy: string }
  | { type: 'ManualVisitEscalated'; overdueSince: string }
  | {
      type: 'ManualVisitRecorded';
      visitedAt: string;
      outcome: ManualVisitOutcome;
      phoneWrongOrOutOfUse: boolean;
      findings?: Findings;
      visitorId: string;
      requestHash: string;
    }
  | { type: 'ReviewOpened'; dueBy: string }
  | { type: 'ReviewEscalated'; overdueSince: string }
  | { type: 'ReviewDecided'; decision: 'DISMISS' | 'UPHOLD'; note: string; requestHash: string }
  | { type: 'ReceiptReturned'; returnedAt: string; late: boolean; requestHash: string; signedAt?: string }
  | { type: 'ReceiptNeverReturned' }
  | { type: 'PolicyCancelled'; cancelledAt: string; reason: string; requestHash: string }
  | {
      /** A monthly settlement's final word on the commission: paid, forfeited, or deferred for good. */
      type: 'CommissionSettled';
      month: string;
      decision: SettlementDecisionKind;
      reason?: DeferReason | ForfeitReason;
      gross: string;
      deductions: { code: DeductionCode; amount: string }[];
      net: string;
    };

export type EventType = EventData['type'];

/** An event as stored: numbered, timed, attributed and chained to the one before. */
export interface StoredEvent {
  readonly policyId: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly data: EventData;
  readonly prevHash: string;
  readonly hash: string;
}

export type DataOf<T extends EventType> = Extract<EventData, { type: T }>;

/** A fact to append, before the log numbers, times and chains it. */
export interface NewEvent {
  readonly at: string;
  readonly actor: Actor;
  readonly data: EventData;
}

/** Whose policy an event belongs to: the audit search finds events by agent and branch. */
export interface EventOwner {
  readonly agentId: string;
  readonly branchId: string;
}

/** The last event of a log, as far as the caller knows: the next append chains to it. */
export interface LogHead {
  readonly version: number;
  readonly lastHash: string;
  /** When the last event was recorded (absent on views projected before it was kept). */
  readonly lastAt?: string;
}
