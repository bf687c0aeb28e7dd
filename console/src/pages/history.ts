import type { PageContext } from '../context.js';
import { h, replace, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, section } from '../widgets.js';

type Entry =
  | { kind: 'event'; seq: number; at: string; actor: { role: string; subject?: string }; type: string; data: Record<string, unknown>; hash: string }
  | { kind: 'step'; at: string; execution: string; n: number; type: string; stateName?: string; hash: string };
interface History { policyId: string; events: number; workflowSteps: number; timeline: Entry[] }
interface Verification { valid: boolean; events: number; firstBrokenAt?: number; reason?: string; workflowSteps: { valid: boolean; records: number; executions: number; reason?: string } }

/** A policy's timeline (business events, optionally the workflow steps) and its hash-chain check. */
export async function historyPanel(context: PageContext, policyId: string, timeZone: string): Promise<HTMLElement> {
  const response = await context.api.get<History>(`/v1/policies/${encodeURIComponent(policyId)}/history`);
  if (!response.ok) return section(t('history'), 'history', failure(response));
  const verifyResult = h('div', { 'data-testid': 'verify-result' });
  const verify = async () => {
    const answer = await context.api.get<Verification>(`/v1/policies/${encodeURIComponent(policyId)}/history/verify`);
    if (!answer.ok) { replace(verifyResult, failure(answer)); return; }
    const v = answer.body;
    const intact = v.valid && v.workflowSteps.valid;
    replace(verifyResult, h('p', { class: intact ? 'ok' : 'err' },
      `${intact ? t('verify.ok') : t('verify.broken')} · ${t('events')} ${v.events} · ${t('steps')} ${v.workflowSteps.records}${v.reason ? ` · ${v.reason}` : ''}${v.workflowSteps.reason ? ` · ${v.workflowSteps.reason}` : ''}`));
  };
  const body = h('div', {});
  const draw = (withSteps: boolean) => {
    const rows = response.body.timeline.filter((entry) => withSteps || entry.kind === 'event').map((entry) => entry.kind === 'event'
      ? [String(entry.seq), formatTime(entry.at, timeZone), `${entry.actor.role}${entry.actor.subject ? `:${entry.actor.subject}` : ''}`, h('strong', {}, entry.type), h('code', {}, JSON.stringify(entry.data)), h('code', { title: entry.hash }, entry.hash.slice(0, 10))]
      : ['', formatTime(entry.at, timeZone), entry.execution, entry.type, entry.stateName ?? '', h('code', { title: entry.hash }, entry.hash.slice(0, 10))]);
    replace(body, table(['#', t('at'), t('actor'), t('event'), '', 'hash'], rows, 'timeline'));
  };
  draw(false);
  return section(`${t('history')} · ${t('events')} ${response.body.events} · ${t('steps')} ${response.body.workflowSteps}`, 'history',
    h('div', { class: 'inline' },
      h('button', { type: 'button', 'data-testid': 'verify', onclick: () => void verify() }, t('verify')),
      h('label', {}, h('input', { type: 'checkbox', onchange: (event: Event) => draw((event.target as HTMLInputElement).checked) }), t('showSteps'))),
    verifyResult, body);
}
