import type { TimedApi } from './bench-client.js';
import { registration } from '../support/policies.js';

export interface PathCost {
  readonly stateTransitions: number;
  /** The lifecycle's own writes: events, views, tokens (workflow-step history excluded). */
  readonly dynamoWrites: number;
  /** The workflow-step history: BatchWriteItem requests and the steps they wrote (several to an item). */
  readonly stepHistory: { readonly requests: number; readonly steps: number };
  readonly dynamoReads: number;
  readonly emails: number;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

function sum(counts: Readonly<Record<string, number>>, names: Set<string>): number {
  return Object.entries(counts).filter(([name]) => names.has(name)).reduce((total, [, n]) => total + n, 0);
}

export interface LocalMetrics {
  readonly dynamoOperations: Record<string, number>;
  readonly statesEntered: number;
  readonly cpuMicros: { readonly system: number; readonly dynamodb: number };
  readonly workflowHistory: { readonly requests: number; readonly steps: number };
  readonly runningExecutions: number;
  readonly rssBytes: number;
}

export async function metricsOf(api: TimedApi): Promise<LocalMetrics> {
  return (await api.call<LocalMetrics>(undefined, 'GET', '/_local/metrics')).body;
}

/** Costs of one lifecycle run alone, measured as counter deltas. The probe makes no reads of its own. */
async function measure(api: TimedApi, drive: () => Promise<void>): Promise<PathCost> {
  const first = await metricsOf(api);
  const before = { ops: first.dynamoOperations, states: first.statesEntered, steps: first.workflowHistory, mails: (await api.emails()).length };
  await drive();
  const last = await metricsOf(api);
  const after = { ops: last.dynamoOperations, states: last.statesEntered, steps: last.workflowHistory, mails: (await api.emails()).length };
  const stepHistory = { requests: after.steps.requests - before.steps.requests, steps: after.steps.steps - before.steps.steps };
  return {
    stateTransitions: after.states - before.states,
    dynamoWrites: sum(after.ops, WRITE_OPERATIONS) - sum(before.ops, WRITE_OPERATIONS) - stepHistory.requests,
    stepHistory,
    dynamoReads: sum(after.ops, READ_OPERATIONS) - sum(before.ops, READ_OPERATIONS),
    emails: after.mails - before.mails,
  };
}

const now = async (api: TimedApi) => (await api.now()).toISOString();

/** Happy path: passes the first callback, receipt in time. */
export function happyPath(api: TimedApi): Promise<PathCost> {
  const id = 'PROBE-happy';
  return measure(api, async () => {
    await api.post('upstream', '/v1/policies', registration(id, await api.now()));
    await api.advance('P10D');
    await api.post('callcentre', `/v1/policies/${id}/callback-attempts`, { attemptId: 'h1', round: 1, calledAt: await now(api), reached: true, operatorId: 'OP1' });
    await api.post('upstream', `/v1/policies/${id}/receipt`, { returnedAt: await now(api) });
  });
}

/**
 * Worst path: three failed calls over two days, the contact window closes unanswered, the
 * second round times out, the manual visit runs 3 days overdue and finds misleading sale,
 * compliance review overdue 2 days then upheld; the receipt comes back late.
 */
export function worstPath(api: TimedApi): Promise<PathCost> {
  const id = 'PROBE-worst';
  const call = async (n: string) => api.post('callcentre', `/v1/policies/${id}/callback-attempts`, { attemptId: n, round: 1, calledAt: await now(api), reached: false, reason: 'NO_ANSWER', operatorId: 'OP1' });
  return measure(api, async () => {
    await api.post('upstream', '/v1/policies', registration(id, await api.now()));
    await api.advance('P10D');
    await call('w1');
    await api.advance('PT6H');
    await call('w2');
    await api.advance('PT18H');
    await call('w3');
    await api.advance('P10D');
    await api.advance('P10D');
    await api.advance('P33D');
    await api.post('branch', `/v1/policies/${id}/manual-visit`, { visitedAt: await now(api), success: true, phoneWrongOrOutOfUse: true, findings: { proxySignature: false, misleading: true }, visitorId: 'V1' });
    await api.advance('P12D');
    await api.post('compliance', `/v1/policies/${id}/review`, { decision: 'UPHOLD', note: 'confirmed' });
    await api.post('upstream', `/v1/policies/${id}/receipt`, { returnedAt: await now(api) });
  });
}
