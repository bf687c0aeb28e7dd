/** The single-table layout: one partition per policy holds its events, view and wait tokens. */
export const policyKey = (policyId: string) => `P#${policyId}`;
export const eventSortKey = (seq: number) => `E#${String(seq).padStart(10, '0')}`;
export const VIEW_SORT_KEY = 'VIEW';
export const TOKEN_PREFIX = 'TOKEN#';
export const requestKey = (requestId: string) => `R#${requestId}`;
export const REQUEST_SORT_KEY = 'REQUEST';
/** Open special requests sit in the `work` index beside the queues, in their own partition, by due date. */
export const SPECIAL_REQUEST_WORK = 'SPECIAL_REQUEST';
export const WORK_INDEX = 'work';
export const workPartition = (bucket: string) => `WORK#${bucket}`;
export const workSortKey = (item: { dueAt: string; policyId: string }) => `${item.dueAt}#${item.policyId}`;
/** Workflow step records sort after every other item of the policy partition. */
export const STEP_PREFIX = 'W#';
export const stepSortKey = (execution: string, n: number) => `${STEP_PREFIX}${execution}#${String(n).padStart(10, '0')}`;
export const accessPartition = (month: string) => `ACCESS#${month}`;
/** A mail's dispatch record, by its deterministic id: claimed, then sent (dispatch-mail.ts). */
export const mailKey = (id: string) => `MAIL#${id}`;
export const MAIL_SORT_KEY = 'MAIL';
/** Who claimed an inbox item (use-cases/inbox): one record per kind and item. */
export const claimKey = (kind: string, itemId: string) => `CLAIM#${kind}#${itemId}`;
export const CLAIM_SORT_KEY = 'CLAIM';

/**
 * An agent's open tasks: the view items of its policies with something to do sit in the
 * `auditAgent` index in a partition of their own (event partitions are `A#<agent>#<month>`).
 */
export const agentWorkPartition = (agentId: string) => `AW#${agentId}`;

/** Sparse index of the commissions not yet paid, forfeited or deferred for good, sharded so no partition runs hot. */
export const UNPAID_INDEX = 'unpaid';
export const UNPAID_SHARDS = 16;
export const unpaidPartition = (shard: number) => `UNPAID#${String(shard).padStart(2, '0')}`;

/** FNV-1a of the policy id: a stable shard, spread evenly. */
export function unpaidShardOf(policyId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < policyId.length; i++) hash = Math.imul(hash ^ policyId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % UNPAID_SHARDS;
}

/** Settlement runs share one partition (a few items a month); each month's lines and summaries have their own. */
export const SETTLEMENT_RUNS_KEY = 'SETTLEMENTS';
export const settlementKey = (month: string) => `SETTLEMENT#${month}`;
export const LINE_PREFIX = 'L#';
export const lineSortKey = (agentId: string, policyId: string) => `${LINE_PREFIX}${agentId}#${policyId}`;
export const BRANCH_PREFIX = 'B#';

/** The staff directory: every entry in one partition (a company's staff, read one item at a time or listed in subject order). */
export const STAFF_DIRECTORY_KEY = 'STAFF';
export const staffEntrySortKey = (subjectId: string) => `S#${subjectId}`;
/** Each subject's hash-chained change log in its own partition. */
export const staffKey = (subjectId: string) => `STAFF#${subjectId}`;
export const staffChangeSortKey = (seq: number) => `C#${String(seq).padStart(10, '0')}`;
