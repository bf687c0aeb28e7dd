import { GENESIS_HASH, hashEvent } from '../lifecycle/event-hash.js';
import type { StoredEvent } from '../lifecycle/events.js';
import { hashStep, type WorkflowStepRecord } from './workflow-step-record.js';

/** What the projection last saw of the log: its length and its last hash. */
export interface ChainHead {
  readonly version: number;
  readonly lastHash?: string;
}

export interface EventChainCheck {
  readonly valid: boolean;
  /** Business events checked. */
  readonly events: number;
  /** Sequence number of the first event that is altered, missing or out of chain. */
  readonly firstBrokenAt?: number;
  readonly reason?: string;
}

/**
 * Recomputes the business events' chain: seq 1, 2, 3… without gaps, each `prevHash` the hash
 * of the event before (GENESIS for the first), each `hash` recomputed from the stored content,
 * each `at` no earlier than the one before.
 * The projection's head catches a deleted or rewritten tail: a view that has seen more events
 * than are stored, or another last hash, breaks the chain there. A view behind the log is a
 * crash between append and projection, not tampering (the next step heals it).
 */
export function verifyEventChain(events: readonly StoredEvent[], head?: ChainHead): EventChainCheck {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let prevHash = GENESIS_HASH;
  let prevAt: string | undefined;
  for (const [index, event] of sorted.entries()) {
    const expectedSeq = index + 1;
    const broken = (reason: string): EventChainCheck => ({ valid: false, events: sorted.length, firstBrokenAt: expectedSeq, reason });
    if (event.seq !== expectedSeq) return broken(`event ${expectedSeq} is missing`);
    if (event.prevHash !== prevHash) return broken(`event ${expectedSeq} does not link to the hash of the event before it`);
    const recomputed = safeHash(() => hashEvent(prevHash, event));
    if (recomputed !== event.hash) return broken(`event ${expectedSeq} does not match its hash: its content was altered`);
    // Time never runs backwards in a log: an earlier instant than the predecessor's is a broken record, not a valid chain.
    if (prevAt !== undefined && !(Date.parse(event.at) >= Date.parse(prevAt))) {
      return broken(`event ${expectedSeq} is recorded at ${event.at}, earlier than event ${expectedSeq - 1} at ${prevAt}: time ran backwards`);
    }
    prevHash = event.hash;
    prevAt = event.at;
  }
  const last = sorted.length;
  if (head && head.version > last) {
    return { valid: false, events: last, firstBrokenAt: last + 1, reason: `event ${last + 1} is missing: the policy view has seen ${head.version} events` };
  }
  if (head && head.version === last && last > 0 && head.lastHash !== undefined && head.lastHash !== prevHash) {
    return { valid: false, events: last, firstBrokenAt: last, reason: `event ${last} differs from the one the policy view recorded` };
  }
  return { valid: true, events: last };
}

export interface StepChainCheck {
  readonly valid: boolean;
  readonly records: number;
  readonly executions: number;
  readonly firstBrokenAt?: { readonly execution: string; readonly n: number };
  readonly reason?: string;
}

/**
 * Each execution's steps chain from GENESIS in their order. A step deleted or altered inside
 * a chain is found; the unflushed tail of an execution interrupted by a crash is simply shorter.
 */
export function verifyStepChains(records: readonly WorkflowStepRecord[]): StepChainCheck {
  const byExecution = new Map<string, WorkflowStepRecord[]>();
  for (const r of records) byExecution.set(r.execution, [...(byExecution.get(r.execution) ?? []), r]);
  for (const [execution, steps] of [...byExecution.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let prevHash = GENESIS_HASH;
    for (const step of steps.sort((a, b) => a.n - b.n)) {
      const broken = (reason: string): StepChainCheck => ({ valid: false, records: records.length, executions: byExecution.size, firstBrokenAt: { execution, n: step.n }, reason });
      if (step.prevHash !== prevHash) return broken(`step ${step.n} of execution ${execution} does not link to the step before it (altered or deleted)`);
      const { prevHash: _p, hash: _h, ...base } = step;
      if (safeHash(() => hashStep(prevHash, base)) !== step.hash) return broken(`step ${step.n} of execution ${execution} does not match its hash`);
      prevHash = step.hash;
    }
  }
  return { valid: true, records: records.length, executions: byExecution.size };
}

/** Content tampered into something unhashable (e.g. a cyclic or non-JSON value) is simply a mismatch. */
function safeHash(compute: () => string): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}
