import type { CustomerDataAccess } from '../domain/customer-privacy.js';
import { knownValuesInLog } from '../lifecycle/customer-access.js';
import type { Actor, EventData, StoredEvent } from '../lifecycle/events.js';
import { maskEventData } from './event-masking.js';
import { applyEvent, type PolicyState } from '../lifecycle/policy-state.js';
import { callbackStatusOf, commissionStatusOf, stageOf } from '../lifecycle/stage.js';
import type { WorkflowStepRecord } from './workflow-step-record.js';

/** Where the policy stood around an event: what an auditor compares before and after. */
export interface StateSnapshot {
  readonly stage: string;
  readonly callbackStatus: string;
  readonly commissionStatus: string;
  readonly receiptStatus: string;
  readonly deductions: readonly string[];
}

export interface BusinessEntry {
  readonly kind: 'event';
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly type: string;
  readonly data: EventData;
  readonly before: StateSnapshot | null;
  readonly after: StateSnapshot | null;
  readonly prevHash: string;
  readonly hash: string;
}

export interface StepEntry {
  readonly kind: 'step';
  readonly at: string;
  readonly execution: string;
  readonly executionArn: string;
  readonly n: number;
  readonly type: string;
  readonly stateName?: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type TimelineEntry = BusinessEntry | StepEntry;

function snapshot(state: PolicyState | undefined): StateSnapshot | null {
  if (!state) return null;
  return {
    stage: stageOf(state),
    callbackStatus: callbackStatusOf(state),
    commissionStatus: commissionStatusOf(state),
    receiptStatus: state.receipt.status,
    deductions: state.deductions.map((d) => d.code),
  };
}

/** Folds the log once, recording the state before and after each event; a tampered event that cannot be folded gets none. */
function businessEntries(events: readonly StoredEvent[], access: CustomerDataAccess): BusinessEntry[] {
  const known = knownValuesInLog(events);
  let state: PolicyState | undefined;
  return [...events].sort((a, b) => a.seq - b.seq).map((event) => {
    const before = snapshot(state);
    try {
      state = applyEvent(state, event);
    } catch {
      state = undefined;
    }
    return {
      kind: 'event', seq: event.seq, at: event.at, actor: event.actor, type: String(event.data?.type),
      data: maskEventData(event.data, access, known), before, after: snapshot(state), prevHash: event.prevHash, hash: event.hash,
    };
  });
}

function stepEntries(steps: readonly WorkflowStepRecord[]): StepEntry[] {
  return [...steps]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.execution < b.execution ? -1 : a.execution > b.execution ? 1 : a.n - b.n))
    .map(({ at, execution, executionArn, n, type, stateName, prevHash, hash }) => ({
      kind: 'step', at, execution, executionArn, n, type, ...(stateName !== undefined ? { stateName } : {}), prevHash, hash,
    }));
}

/**
 * One timeline of business events (in log order) and workflow steps (per execution, in
 * engine order), merged by time. At the same instant the business event comes first: an API
 * fact is appended before the workflow reacts to it, and an event a step writes appears just
 * before that step's later states. Customer data shown as `access` allows.
 */
export function historyTimeline(
  events: readonly StoredEvent[],
  steps: readonly WorkflowStepRecord[],
  access: CustomerDataAccess,
): TimelineEntry[] {
  const business = businessEntries(events, access);
  const workflow = stepEntries(steps);
  const timeline: TimelineEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < business.length || j < workflow.length) {
    const event = business[i];
    const step = workflow[j];
    if (event && (!step || event.at <= step.at)) {
      timeline.push(event);
      i++;
    } else if (step) {
      timeline.push(step);
      j++;
    }
  }
  return timeline;
}
