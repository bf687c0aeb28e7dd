/** The single-table layout: one partition per policy holds its events, view and wait tokens. */
export const policyKey = (policyId: string) => `P#${policyId}`;
export const eventSortKey = (seq: number) => `E#${String(seq).padStart(10, '0')}`;
export const VIEW_SORT_KEY = 'VIEW';
export const TOKEN_PREFIX = 'TOKEN#';
export const requestKey = (requestId: string) => `R#${requestId}`;
export const WORK_INDEX = 'work';
export const workPartition = (bucket: string) => `WORK#${bucket}`;
export const workSortKey = (item: { dueAt: string; policyId: string }) => `${item.dueAt}#${item.policyId}`;
/** Workflow step records sort after every other item of the policy partition. */
export const STEP_PREFIX = 'W#';
export const stepSortKey = (execution: string, n: number) => `${STEP_PREFIX}${execution}#${String(n).padStart(10, '0')}`;
export const accessPartition = (month: string) => `ACCESS#${month}`;
export const dispatchKey = (key: string) => `DISPATCH#${key}`;
