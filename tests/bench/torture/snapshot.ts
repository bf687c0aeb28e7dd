import type { ApiResponse } from '../../support/local-api.js';
import { MONTHS } from './workload.js';

/** What a run ends with, read through the API: the material the comparison works on. */
export interface Snapshot {
  readonly views: Record<string, Read>;
  /** Business events only: workflow steps legitimately differ (a killed execution's chain ends early). */
  readonly histories: Record<string, Read<HistoryEvent[]>>;
  readonly verifications: Record<string, Read<Verification>>;
  readonly statements: Record<string, Read>;
  readonly emails: Email[];
}

export interface Read<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface HistoryEvent {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly actor: unknown;
  readonly data: unknown;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export interface Verification {
  readonly valid: boolean;
  readonly workflowSteps?: { readonly valid: boolean };
  readonly [key: string]: unknown;
}

export interface Email {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly sentAt: string;
}

type Get = (credential: string | undefined, path: string) => Promise<ApiResponse<unknown>>;

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

const read = <T>(response: ApiResponse<unknown>): Read<T> => ({ status: response.status, body: response.body as T });

export async function readSnapshot(get: Get, policyIds: readonly string[]): Promise<Snapshot> {
  const views: Snapshot['views'] = {};
  const histories: Snapshot['histories'] = {};
  const verifications: Snapshot['verifications'] = {};
  await eachLimited(policyIds, 8, async (id) => {
    views[id] = read(await get('auditor', `/v1/policies/${id}`));
    const history = read<{ timeline?: { kind: string }[] }>(await get('auditor:AU1', `/v1/policies/${id}/history`));
    const events = (history.body.timeline ?? []).filter((e) => e.kind === 'event') as unknown as HistoryEvent[];
    histories[id] = { status: history.status, body: events.sort((a, b) => a.seq - b.seq) };
    verifications[id] = read(await get('auditor:AU1', `/v1/policies/${id}/history/verify`));
  });
  const statements: Snapshot['statements'] = {};
  for (const month of MONTHS) statements[month] = read(await get('manager', `/v1/settlements/${month}`));
  const emails = read<Email[]>(await get(undefined, '/_local/emails')).body;
  return { views, histories, verifications, statements, emails };
}
