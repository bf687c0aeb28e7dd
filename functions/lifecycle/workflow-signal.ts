import type { EventData, EventType } from './events.js';
import type { PolicyState } from './policy-state.js';
import { roundOf } from './stage.js';

/** A wait the lifecycle's execution parks on, by step (one task token each). */
export const WAIT_STEPS = ['firstCallbackDate', 'round1', 'round2', 'contactWindow', 'manualVisit', 'review', 'receipt'] as const;
export type WaitStep = (typeof WAIT_STEPS)[number];

/** What the workflow is told: waits completed with their outcome, or every wait failed (cancellation). */
export type WorkflowSignal =
  | { readonly kind: 'complete'; readonly waits: readonly { readonly step: WaitStep; readonly status: string }[] }
  | { readonly kind: 'failAll'; readonly error: 'PolicyCancelled'; readonly cause: string };

const exempt = (s: PolicyState) => (s.callbackOutcome === 'EXEMPT' ? 'EXEMPT' : undefined);
const roundOutcome = (s: PolicyState, n: number) => {
  const r = roundOf(s, n);
  return exempt(s) ?? (r && r.status !== 'OPEN' ? r.status : undefined);
};

/**
 * The outcome the log holds for a wait, if it has ended: a wait parked (or parked again by a
 * resumed execution) completes at once with it, and a fact that ends it completes it with it.
 */
export function waitOutcome(s: PolicyState, step: WaitStep): string | undefined {
  switch (step) {
    case 'firstCallbackDate': return exempt(s) ?? (s.earlyCallbackApproved ? 'EARLY' : undefined);
    case 'round1': return roundOutcome(s, 1);
    case 'round2': return roundOutcome(s, 2);
    case 'contactWindow': return exempt(s) ?? s.contactWindow?.outcome;
    case 'manualVisit': return s.manualVisit?.outcome;
    case 'review': return s.review?.decision;
    case 'receipt': return s.receipt.status === 'PENDING' ? undefined : s.receipt.status;
  }
}

/**
 * Facts from outside that end a wait. The workflow's own facts (a timeout recorded, a stage
 * opened, a settlement) end none: the wait they follow is already over.
 */
const WAIT_ENDING_FACTS: ReadonlySet<EventType> = new Set<EventType>([
  'SpecialRequestDecided', 'CallbackAttemptRecorded', 'ContactUpdated', 'ManualVisitRecorded', 'ReviewDecided', 'ReceiptReturned',
]);

/** What the workflow must be told after `data` took the log from `before` to `after`. */
export function signalOf(before: PolicyState | undefined, after: PolicyState, data: EventData): WorkflowSignal | undefined {
  if (data.type === 'PolicyCancelled') return { kind: 'failAll', error: 'PolicyCancelled', cause: data.reason };
  if (!before || !WAIT_ENDING_FACTS.has(data.type)) return undefined;
  const waits = WAIT_STEPS.flatMap((step) => {
    const status = waitOutcome(after, step);
    return status !== undefined && waitOutcome(before, step) === undefined ? [{ step, status }] : [];
  });
  return waits.length > 0 ? { kind: 'complete', waits } : undefined;
}

/**
 * Everything the log says the workflow should have been told: a replayed request sends it
 * again, since the first attempt may have died before telling it. Waits that already ended
 * refuse the stale token, which is harmless.
 */
export function signalsDue(state: PolicyState): WorkflowSignal | undefined {
  if (state.cancelled) return { kind: 'failAll', error: 'PolicyCancelled', cause: state.cancelled.reason };
  const waits = WAIT_STEPS.flatMap((step) => {
    const status = waitOutcome(state, step);
    return status === undefined ? [] : [{ step, status }];
  });
  return waits.length > 0 ? { kind: 'complete', waits } : undefined;
}
