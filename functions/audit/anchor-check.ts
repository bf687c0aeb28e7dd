import { EVENTS_CHAIN, type ChainHeadLeaf } from './chain-anchor.js';
import type { StoredEvent } from '../lifecycle/events.js';
import type { WorkflowStepRecord } from './workflow-step-record.js';

export interface AnchoredBreak {
  /** Sequence number of the first business event that differs from what was anchored. */
  readonly event?: { readonly seq: number; readonly reason: string };
  /** The first workflow step that differs from what was anchored. */
  readonly step?: { readonly execution: string; readonly n: number; readonly reason: string };
}

/**
 * Compares the chains as stored now with their anchored heads: each anchored chain must still
 * hold every record up to the anchored position, and the record there must carry the anchored
 * hash. (Records after it are newer than the anchor; the chain check covers them.) A
 * consistent rewrite recomputes every hash, so the anchored head is where it shows.
 */
export function checkAgainstAnchor(leaves: readonly ChainHeadLeaf[], events: readonly StoredEvent[], steps: readonly WorkflowStepRecord[]): AnchoredBreak {
  let result: AnchoredBreak = {};
  for (const leaf of leaves) {
    if (leaf.chain === EVENTS_CHAIN) {
      const bySeq = new Map(events.map((e) => [e.seq, e]));
      for (let seq = 1; seq <= leaf.position; seq++) {
        if (!bySeq.has(seq)) {
          result = { ...result, event: { seq, reason: `event ${seq} is missing: anchor holds ${leaf.count} events up to ${leaf.position}` } };
          break;
        }
      }
      if (!result.event && bySeq.get(leaf.position)?.hash !== leaf.hash) {
        result = { ...result, event: { seq: leaf.position, reason: `event ${leaf.position} differs from the anchored one (its hash is not the anchored ${leaf.hash.slice(0, 12)}…): the history was rewritten` } };
      }
      continue;
    }
    const execution = leaf.chain.slice('steps:'.length);
    const records = steps.filter((s) => s.execution === execution).sort((a, b) => a.n - b.n);
    const atPosition = records.find((s) => s.n === leaf.position);
    const upTo = records.filter((s) => s.n <= leaf.position).length;
    let broken: { n: number; reason: string } | undefined;
    if (!atPosition || upTo < leaf.count) {
      // Which steps in between went is unknown (positions are the engine's, with gaps): the anchored head is the first certain loss.
      broken = { n: leaf.position, reason: `execution ${execution} holds ${upTo} of the ${leaf.count} steps anchored up to step ${leaf.position}: steps were deleted` };
    } else if (atPosition.hash !== leaf.hash) {
      broken = { n: leaf.position, reason: `step ${leaf.position} of execution ${execution} differs from the anchored one: the steps were rewritten` };
    }
    if (broken && (!result.step || execution < result.step.execution)) result = { ...result, step: { execution, ...broken } };
  }
  return result;
}
