import type { RoundEndReason, RoundStatus } from '../domain/callback-round.js';
import type { DeductionCode } from '../domain/commission.js';
import { isAgentOrBranchPhone } from '../domain/contact-rule.js';
import type { AttemptRecord, DataOf, ManualVisitOutcome, PolicyRecord, SpecialRequestType, StoredEvent } from './events.js';

/**
 * A round still OPEN when the callback track ends another way: an approved exemption
 * (EXEMPTED) or the policy's cancellation (CANCELLED). No attempt is recorded in it after that.
 */
export type RoundClosedReason = 'EXEMPTED' | 'CANCELLED';

export interface RoundState {
  readonly round: number;
  readonly openedAt: string;
  readonly notBefore: string;
  readonly deadline: string;
  readonly attempts: AttemptRecord[];
  readonly attemptHashes: Record<string, string>;
  status: RoundStatus | 'CLOSED';
  endReason?: RoundEndReason | RoundClosedReason;
  nextAttemptNotBefore?: string;
  closedAt?: string;
}

export interface SpecialRequestState {
  readonly requestId: string;
  readonly type: SpecialRequestType;
  readonly reason: string;
  readonly filedAt: string;
  readonly requestHash: string;
  /** The subject who filed it (the agent), when the caller named one: it may not decide it. */
  readonly filedBy?: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  /** Reminders sent while it stayed undecided past its SLA. */
  escalations?: number;
  decidedAt?: string;
  note?: string;
}

/** What the callback track ended with (docs/rules.md §3); absent while it runs. */
export type CallbackOutcome = 'PASSED' | 'EXEMPT' | 'RELEASED' | 'FORFEITED';

/** The fold of a policy's event log: everything a decision or a view needs. Plain JSON. */
export interface PolicyState {
  readonly policy: PolicyRecord;
  version: number;
  lastHash: string;
  /** When the last event was recorded: the next one may not be earlier. */
  lastAt: string;
  registeredAt: string;
  registrationHash: string;
  contact: { phone: string; address?: string; agentPhoneAsCustomer: boolean };
  falseContactFound: boolean;
  specialRequests: SpecialRequestState[];
  earlyCallbackApproved: boolean;
  rounds: RoundState[];
  contactWindow?: { openedAt: string; closesAt: string; outcome?: 'UPDATED' | 'CONFIRMED' | 'UNANSWERED'; respondedAt?: string; requestHash?: string };
  manualVisit?: { orderedAt: string; dueBy: string; escalations: number; outcome?: ManualVisitOutcome; visitedAt?: string; visitorId?: string; requestHash?: string };
  review?: { openedAt: string; dueBy: string; escalations: number; decision?: 'DISMISS' | 'UPHOLD'; decidedAt?: string; requestHash?: string };
  /** recordedAt/givenUpAt: when the facts were logged (a settlement counts only those before its cutoff). */
  receipt: { status: 'PENDING' | 'RETURNED' | 'NEVER_RETURNED'; returnedAt?: string; signedAt?: string; recordedAt?: string; givenUpAt?: string; late: boolean; requestHash?: string };
  cancelled?: { cancelledAt: string; reason: string; requestHash: string; recordedAt: string };
  callbackOutcome?: CallbackOutcome;
  /** When the callback outcome was recorded. */
  callbackOutcomeAt?: string;
  deductions: { code: DeductionCode; at: string }[];
  /** The settlement that paid, forfeited or deferred the commission for good; absent while unpaid. */
  settlement?: Omit<DataOf<'CommissionSettled'>, 'type'> & { settledAt: string };
}

function closeOpenRounds(s: PolicyState, reason: RoundClosedReason, at: string): void {
  for (const r of s.rounds) {
    if (r.status !== 'OPEN') continue;
    r.status = 'CLOSED';
    r.endReason = reason;
    r.closedAt = at;
    delete r.nextAttemptNotBefore;
  }
}

/** Applies one event; the log replayed through this is the state (docs/architecture.md §3). */
export function applyEvent(state: PolicyState | undefined, event: StoredEvent): PolicyState {
  const data = event.data;
  if (data.type === 'PolicyRegistered') {
    const agentPhoneAsCustomer = isAgentOrBranchPhone(data.policy.policyholder.phone, data.policy.agent.phone);
    return {
      policy: data.policy,
      version: event.seq,
      lastHash: event.hash,
      lastAt: event.at,
      registeredAt: event.at,
      registrationHash: data.requestHash,
      contact: { phone: data.policy.policyholder.phone, address: data.policy.policyholder.address, agentPhoneAsCustomer },
      // The agent's own phone entered as the customer's is false contact information (docs/rules.md §3).
      falseContactFound: agentPhoneAsCustomer,
      specialRequests: [],
      earlyCallbackApproved: false,
      rounds: [],
      receipt: { status: 'PENDING', late: false },
      deductions: [],
    };
  }
  if (!state) throw new Error(`event ${event.seq} of ${event.policyId} precedes its registration`);
  const s: PolicyState = structuredClone(state);
  s.version = event.seq;
  s.lastHash = event.hash;
  s.lastAt = event.at;
  const round = (n: number): RoundState | undefined => s.rounds.find((r) => r.round === n);
  switch (data.type) {
    case 'SpecialRequestFiled':
      s.specialRequests.push({ requestId: data.requestId, type: data.requestType, reason: data.reason, filedAt: event.at, requestHash: data.requestHash, status: 'PENDING', ...(event.actor.subject ? { filedBy: event.actor.subject } : {}) });
      break;
    case 'SpecialRequestEscalated': {
      const request = s.specialRequests.find((r) => r.requestId === data.requestId);
      if (request) request.escalations = Math.max(request.escalations ?? 0, data.reminder);
      break;
    }
    case 'SpecialRequestDecided': {
      const request = s.specialRequests.find((r) => r.requestId === data.requestId);
      if (request) {
        request.status = data.approve ? 'APPROVED' : 'REJECTED';
        request.decidedAt = event.at;
        request.note = data.note;
        if (data.approve && request.type === 'EARLY') s.earlyCallbackApproved = true;
        if (data.approve && request.type === 'EXEMPT') {
          s.callbackOutcome = 'EXEMPT';
          closeOpenRounds(s, 'EXEMPTED', event.at);
        }
      }
      break;
    }
    case 'CallbackRoundOpened':
      s.rounds.push({ round: data.round, openedAt: event.at, notBefore: data.notBefore, deadline: data.deadline, attempts: [], attemptHashes: {}, status: 'OPEN' });
      break;
    case 'CallbackAttemptRecorded': {
      const r = round(data.attempt.round);
      if (!r) break;
      r.attempts.push(data.attempt);
      r.attemptHashes[data.attempt.attemptId] = data.requestHash;
      r.status = data.roundStatus;
      r.endReason = data.endReason;
      r.nextAttemptNotBefore = data.nextAttemptNotBefore;
      if (data.roundStatus !== 'OPEN') r.closedAt = event.at;
      if (data.endReason === 'AGENT_PHONE_AS_CUSTOMER') s.falseContactFound = true;
      if (data.roundStatus === 'PASSED') s.callbackOutcome = 'PASSED';
      break;
    }
    case 'CallbackRoundTimedOut': {
      const r = round(data.round);
      if (r && r.status === 'OPEN') {
        r.status = 'FAILED';
        r.endReason = 'TIMED_OUT';
        r.closedAt = event.at;
      }
      break;
    }
    case 'ContactWindowOpened':
      s.contactWindow = { openedAt: event.at, closesAt: data.closesAt };
      break;
    case 'ContactUpdated':
      if (data.phone) s.contact = { phone: data.phone, address: data.address ?? s.contact.address, agentPhoneAsCustomer: data.agentPhoneAsCustomer };
      else if (data.address) s.contact.address = data.address;
      if (data.agentPhoneAsCustomer) s.falseContactFound = true;
      if (s.contactWindow) {
        s.contactWindow.outcome = data.confirmed ? 'CONFIRMED' : 'UPDATED';
        s.contactWindow.respondedAt = event.at;
        s.contactWindow.requestHash = data.requestHash;
      }
      break;
    case 'ContactWindowClosedUnanswered':
      if (s.contactWindow) s.contactWindow.outcome = 'UNANSWERED';
      break;
    case 'ManualVisitOrdered':
      s.manualVisit = { orderedAt: event.at, dueBy: data.dueBy, escalations: 0 };
      break;
    case 'ManualVisitEscalated':
      if (s.manualVisit) s.manualVisit.escalations += 1;
      break;
    case 'ManualVisitRecorded':
      if (s.manualVisit) Object.assign(s.manualVisit, { outcome: data.outcome, visitedAt: data.visitedAt, visitorId: data.visitorId, requestHash: data.requestHash });
      if (data.phoneWrongOrOutOfUse) s.falseContactFound = true;
      if (data.outcome === 'SUCCESS' || data.outcome === 'SUCCESS_WRONG_PHONE') s.callbackOutcome = 'RELEASED';
      if (data.outcome === 'SUCCESS_WRONG_PHONE') s.deductions.push({ code: 'WRONG_PHONE', at: event.at });
      if (data.outcome === 'FAILURE') s.callbackOutcome = 'FORFEITED';
      break;
    case 'ReviewOpened':
      s.review = { openedAt: event.at, dueBy: data.dueBy, escalations: 0 };
      break;
    case 'ReviewEscalated':
      if (s.review) s.review.escalations += 1;
      break;
    case 'ReviewDecided':
      if (s.review) Object.assign(s.review, { decision: data.decision, decidedAt: event.at, requestHash: data.requestHash });
      s.callbackOutcome = data.decision === 'DISMISS' ? 'PASSED' : 'FORFEITED';
      break;
    case 'ReceiptReturned':
      s.receipt = { status: 'RETURNED', returnedAt: data.returnedAt, ...(data.signedAt ? { signedAt: data.signedAt } : {}), recordedAt: event.at, late: data.late, requestHash: data.requestHash };
      if (data.late) s.deductions.push({ code: 'LATE_RECEIPT', at: event.at });
      break;
    case 'ReceiptNeverReturned':
      s.receipt.status = 'NEVER_RETURNED';
      s.receipt.givenUpAt = event.at;
      break;
    case 'PolicyCancelled':
      s.cancelled = { cancelledAt: data.cancelledAt, reason: data.reason, requestHash: data.requestHash, recordedAt: event.at };
      closeOpenRounds(s, 'CANCELLED', event.at);
      break;
    case 'CommissionSettled': {
      const { type: _type, ...settled } = data;
      s.settlement = { ...settled, settledAt: event.at };
      break;
    }
  }
  if (s.callbackOutcome && !state.callbackOutcome) s.callbackOutcomeAt = event.at;
  return s;
}

export function foldEvents(events: readonly StoredEvent[]): PolicyState | undefined {
  return events.reduce<PolicyState | undefined>(applyEvent, undefined);
}
