import { checkAgainstAnchor, type AnchoredBreak } from '../../audit/anchor-check.js';
import { recomputedRoot, type AnchorDocument, type LeafProof } from '../../audit/chain-anchor.js';
import { leafContentHash } from '../../audit/chain-anchor.js';
import { verifyInclusion } from '../../audit/merkle.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { WorkflowStepRecord } from '../../audit/workflow-step-record.js';
import type { Dependencies } from '../dependencies.js';
import { anchorIndexPrefix, anchorKey } from './anchor-history.js';

export interface AnchorVerdict {
  readonly anchor: { readonly id: string; readonly at: string; readonly included: boolean; readonly reason?: string };
  readonly breaks: AnchoredBreak;
}

interface IndexEntry {
  readonly anchorId: string;
  readonly at: string;
  readonly root: string;
  readonly proofs: readonly LeafProof[];
}

/** The newest archived anchor holding one of the policy's chains, or undefined (never anchored, or nothing archived here). */
export async function latestAnchorOf(deps: Dependencies, policyId: string): Promise<IndexEntry | undefined> {
  if (!deps.archive) return undefined;
  const keys = await deps.archive.list(anchorIndexPrefix(policyId));
  const newest = keys.at(-1);
  const text = newest ? await deps.archive.get(newest) : undefined;
  return text ? (JSON.parse(text) as IndexEntry) : undefined;
}

/**
 * Checks a policy's chains against the latest anchor covering it: the archived anchor must be
 * intact (its leaves hash to its root, the root the table recorded), the policy's heads must be
 * included in it (inclusion proofs against that root), and the chains stored now must still
 * hold those heads.
 */
export async function verifyAgainstAnchor(
  deps: Dependencies,
  policyId: string,
  events: readonly StoredEvent[],
  steps: readonly WorkflowStepRecord[],
): Promise<AnchorVerdict | undefined> {
  const entry = await latestAnchorOf(deps, policyId);
  if (!entry || !deps.archive) return undefined;
  const base = { id: entry.anchorId, at: entry.at };
  const text = await deps.archive.get(anchorKey(entry.anchorId));
  if (!text) return { anchor: { ...base, included: false, reason: `anchor ${entry.anchorId} is missing from the archive` }, breaks: {} };
  let document: AnchorDocument;
  try {
    document = JSON.parse(text) as AnchorDocument;
  } catch {
    return { anchor: { ...base, included: false, reason: `anchor ${entry.anchorId} in the archive is not JSON: it was altered` }, breaks: {} };
  }
  const recorded = await deps.anchors?.get(entry.anchorId);
  const roots = [recomputedRoot(document), document.root, entry.root, ...(recorded ? [recorded.root] : [])];
  if (new Set(roots).size !== 1) {
    return { anchor: { ...base, included: false, reason: `anchor ${entry.anchorId}: root mismatch (its leaves hash to ${String(roots[0]).slice(0, 12)}…, recorded ${entry.root.slice(0, 12)}…): the archived anchor was altered` }, breaks: {} };
  }
  const leaves = document.leaves.filter((l) => l.policyId === policyId);
  const included = leaves.length > 0 && entry.proofs.length === leaves.length
    && entry.proofs.every((p) => leaves.some((l) => leafContentHash(l) === leafContentHash(p.leaf)) && verifyInclusion(leafContentHash(p.leaf), p.proof, document.root));
  return {
    anchor: { ...base, included, ...(included ? {} : { reason: `the policy's heads are not proven in anchor ${entry.anchorId}` }) },
    breaks: checkAgainstAnchor(leaves, events, steps),
  };
}
