import { canonicalJson } from '../../lifecycle/event-hash.js';
import { chainHeadsOf, proofsFor, type AnchorDocument } from '../../audit/chain-anchor.js';
import { isClosedLifecycle } from '../../audit/closed-lifecycle.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { WorkflowStepRecord } from '../../audit/workflow-step-record.js';
import type { Dependencies } from '../dependencies.js';

export const policyArchiveKey = (policyId: string) => `policies/${policyId}.json`;

/** `policies/<policyId>.json`: a closed lifecycle's whole history, proven against the anchor holding its final heads. */
export interface PolicyArchive {
  readonly policyId: string;
  readonly exportedAt: string;
  readonly anchor: { readonly id: string; readonly at: string; readonly root: string };
  readonly proofs: ReturnType<typeof proofsFor>;
  readonly events: readonly StoredEvent[];
  readonly steps: readonly WorkflowStepRecord[];
}

/**
 * After an anchor: each of its policies whose lifecycle is closed (closed-lifecycle.ts) and
 * whose stored heads are exactly the anchored ones is exported, once (a write-once key: a
 * rerun or a later anchor finds it there and moves on). A policy that moved after the anchor
 * waits for the next one.
 */
export async function exportClosedPolicies(deps: Dependencies, anchor: AnchorDocument): Promise<number> {
  if (!deps.archive) return 0;
  let exported = 0;
  for (const policyId of [...new Set(anchor.leaves.map((l) => l.policyId))]) {
    if ((await deps.archive.list(policyArchiveKey(policyId))).length > 0) continue;
    const history = await deps.audit.loadHistory(policyId);
    if (!history || !isClosedLifecycle(history.events, history.steps)) continue;
    const anchored = anchor.leaves.filter((l) => l.policyId === policyId);
    if (canonicalJson(chainHeadsOf(policyId, history.events, history.steps)) !== canonicalJson(anchored)) continue;
    const archive: PolicyArchive = {
      policyId,
      exportedAt: deps.clock.now().toISOString(),
      anchor: { id: anchor.id, at: anchor.at, root: anchor.root },
      proofs: proofsFor(anchor, policyId),
      events: [...history.events].sort((a, b) => a.seq - b.seq),
      steps: [...history.steps].sort((a, b) => (a.execution !== b.execution ? (a.execution < b.execution ? -1 : 1) : a.n - b.n)),
    };
    if ((await deps.archive.putOnce(policyArchiveKey(policyId), `${JSON.stringify(archive)}\n`)) === 'written') exported++;
  }
  return exported;
}
