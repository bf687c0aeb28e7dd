import { canonicalJson } from '../lifecycle/event-hash.js';
import type { StoredEvent } from '../lifecycle/events.js';
import { inclusionProof, leafHash, merkleRoot, type ProofStep } from './merkle.js';
import type { WorkflowStepRecord } from './workflow-step-record.js';

/**
 * The head of one hash chain at the time of an anchor: a policy's business events
 * (`chain: "events"`), or one lifecycle execution's workflow steps (`chain: "steps:<execution>"`).
 * `position` is the last record's place in the chain (event seq, or step n), `count` the
 * number of records up to it, `hash` its hash.
 */
export interface ChainHeadLeaf {
  readonly policyId: string;
  readonly chain: string;
  readonly count: number;
  readonly position: number;
  readonly hash: string;
}

/** What is written to `anchors/<id>.json` (docs/architecture.md "Anchors"). */
export interface AnchorDocument {
  readonly id: string;
  readonly at: string;
  readonly root: string;
  /** Sorted by (policyId, chain). */
  readonly leaves: readonly ChainHeadLeaf[];
  readonly previous?: { readonly id: string; readonly root: string };
}

export const EVENTS_CHAIN = 'events';
export const stepsChain = (execution: string) => `steps:${execution}`;

/** The fixed field order of a leaf's hashed content (canonical JSON sorts keys). */
export const leafContentHash = (leaf: ChainHeadLeaf): string =>
  leafHash(canonicalJson({ policyId: leaf.policyId, chain: leaf.chain, count: leaf.count, position: leaf.position, hash: leaf.hash }));

const leafOrder = (a: ChainHeadLeaf, b: ChainHeadLeaf) => (a.policyId !== b.policyId ? (a.policyId < b.policyId ? -1 : 1) : a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0);

/** The heads of a policy's chains as they are stored now. */
export function chainHeadsOf(policyId: string, events: readonly StoredEvent[], steps: readonly WorkflowStepRecord[]): ChainHeadLeaf[] {
  const heads: ChainHeadLeaf[] = [];
  const lastEvent = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  if (lastEvent) heads.push({ policyId, chain: EVENTS_CHAIN, count: events.length, position: lastEvent.seq, hash: lastEvent.hash });
  const byExecution = new Map<string, WorkflowStepRecord[]>();
  for (const step of steps) byExecution.set(step.execution, [...(byExecution.get(step.execution) ?? []), step]);
  for (const [execution, records] of byExecution) {
    const last = [...records].sort((a, b) => a.n - b.n).at(-1) as WorkflowStepRecord;
    heads.push({ policyId, chain: stepsChain(execution), count: records.length, position: last.n, hash: last.hash });
  }
  return heads.sort(leafOrder);
}

export function buildAnchor(id: string, at: string, leaves: readonly ChainHeadLeaf[], previous?: { id: string; root: string }): AnchorDocument {
  const sorted = [...leaves].sort(leafOrder);
  return { id, at, root: merkleRoot(sorted.map(leafContentHash)), leaves: sorted, ...(previous ? { previous } : {}) };
}

/** The root recomputed from the document's own leaves: differs from `root` when the object was altered. */
export function recomputedRoot(anchor: AnchorDocument): string | undefined {
  return anchor.leaves.length === 0 ? undefined : merkleRoot(anchor.leaves.map(leafContentHash));
}

export interface LeafProof {
  readonly leaf: ChainHeadLeaf;
  readonly proof: readonly ProofStep[];
}

/** The leaves of one policy in an anchor, each with its inclusion proof against the anchor's root. */
export function proofsFor(anchor: AnchorDocument, policyId: string): LeafProof[] {
  const hashes = anchor.leaves.map(leafContentHash);
  return anchor.leaves.flatMap((leaf, index) => (leaf.policyId === policyId ? [{ leaf, proof: inclusionProof(hashes, index) }] : []));
}
