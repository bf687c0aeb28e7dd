import type { TimedApi } from './bench-client.js';
import { inParallel } from './bench-client.js';
import { registration } from '../support/policies.js';

/** The outcome mix of one wave: shares of a realistic month (most pass at the first call). */
export const MIX = [
  ['passFirst', 0.6], ['updateThenPass', 0.15], ['windowClosesThenPass', 0.08],
  ['visitSuccess', 0.03], ['visitWrongPhone', 0.03], ['visitFailure', 0.03],
  ['findingsDismissed', 0.025], ['findingsUpheld', 0.025], ['cancelled', 0.03],
] as const;
export type Path = (typeof MIX)[number][0];

export function assignPaths(count: number, prefix: string): { id: string; path: Path }[] {
  const out: { id: string; path: Path }[] = [];
  let index = 0;
  for (const [path, share] of MIX) {
    const n = path === 'passFirst' ? 0 : Math.round(count * share);
    for (let i = 0; i < n && out.length < count; i++) out.push({ id: `${prefix}-${index++}`, path });
  }
  while (out.length < count) out.push({ id: `${prefix}-${index++}`, path: 'passFirst' });
  return out;
}

const has = (paths: readonly Path[]) => (p: { path: Path }) => paths.includes(p.path);

/** One wave: every policy registered, driven through its path to the end of both tracks. */
export async function runWave(api: TimedApi, policies: readonly { id: string; path: Path }[], concurrency: number): Promise<void> {
  // The virtual clock moves only when advanced, so one reading serves a whole phase.
  let now = (await api.now()).toISOString();
  const advance = async (by: string) => { now = (await api.advance(by)).toISOString(); };
  let seq = 0;
  const call = (id: string, round: number, outcome: object) =>
    api.post('callcentre', `/v1/policies/${id}/callback-attempts`, { attemptId: `${id}-${round}-${seq++}`, round, calledAt: now, operatorId: 'OP1', ...outcome });
  const each = (filter: (p: { path: Path }) => boolean, work: (id: string, path: Path) => Promise<unknown>) =>
    inParallel(policies.filter(filter), concurrency, (p) => work(p.id, p.path));

  await each(() => true, (id) => api.post('upstream', '/v1/policies', registration(id, new Date(now))));
  await advance('P10D');
  await each(has(['cancelled']), (id) => api.post('upstream', `/v1/policies/${id}/cancellation`, { cancelledAt: now, reason: 'surrender' }));
  await each(has(['passFirst']), (id) => call(id, 1, { reached: true }));
  await each(has(['findingsDismissed', 'findingsUpheld']), (id) => call(id, 1, { reached: true, findings: { proxySignature: false, misleading: true } }));
  await each(has(['updateThenPass', 'windowClosesThenPass', 'visitSuccess', 'visitWrongPhone', 'visitFailure']), (id) => call(id, 1, { reached: false, reason: 'WRONG_NUMBER' }));
  await each(has(['updateThenPass', 'visitSuccess', 'visitWrongPhone', 'visitFailure']), (id) => api.put('agent:A1001', `/v1/policies/${id}/contact`, { phone: '13700000000' }));
  await each(has(['updateThenPass']), (id) => call(id, 2, { reached: true }));
  await each(has(['visitSuccess', 'visitWrongPhone', 'visitFailure']), (id) => call(id, 2, { reached: false, reason: 'POLICYHOLDER_REFUSED' }));
  await each(has(['visitSuccess', 'visitWrongPhone', 'visitFailure']), (id, path) =>
    api.post('branch', `/v1/policies/${id}/manual-visit`, { visitedAt: now, visitorId: 'V1', success: path !== 'visitFailure', phoneWrongOrOutOfUse: path === 'visitWrongPhone' }));
  await each(has(['findingsDismissed', 'findingsUpheld']), (id, path) =>
    api.post('compliance', `/v1/policies/${id}/review`, { decision: path === 'findingsDismissed' ? 'DISMISS' : 'UPHOLD', note: 'reviewed' }));
  await advance('P10D');
  await each(has(['windowClosesThenPass']), (id) => call(id, 2, { reached: true }));
  await each((p) => p.path !== 'cancelled', (id) => api.post('upstream', `/v1/policies/${id}/receipt`, { returnedAt: now }));
}
