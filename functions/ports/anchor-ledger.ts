import type { ChainHeadLeaf } from '../audit/chain-anchor.js';

/** An anchor as the table records it, once its object is in the archive. */
export interface AnchorRecord {
  readonly id: string;
  readonly at: string;
  readonly root: string;
  readonly leaves: number;
  readonly previousId?: string;
}

/** The chains of one policy whose heads moved since they were last anchored. */
export interface ChangedPolicy {
  readonly policyId: string;
  readonly heads: readonly ChainHeadLeaf[];
}

/** The table's side of anchoring: which anchors exist and what each policy last had anchored. */
export interface AnchorLedger {
  latest(): Promise<AnchorRecord | undefined>;
  get(id: string): Promise<AnchorRecord | undefined>;
  /** Conditional: recording the same anchor twice is harmless. */
  record(anchor: AnchorRecord): Promise<void>;
  /** Newest first, strictly before `beforeId` when given. */
  list(limit: number, beforeId?: string): Promise<{ items: AnchorRecord[]; more: boolean }>;
  /** Every policy with a chain whose head differs from what was last anchored for it. */
  changedPolicies(): AsyncIterable<ChangedPolicy>;
  /** Remembers the heads anchored for a policy, so the next run skips it unless it moves. */
  markAnchored(policyId: string, anchorId: string, heads: readonly ChainHeadLeaf[]): Promise<void>;
}
