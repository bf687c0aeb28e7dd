import type { PageContext } from '../context.js';
import { h, replace, table } from '../dom.js';
import { code, formatTime, t } from '../i18n.js';
import { failure, section } from '../widgets.js';
import { callForm, callRules, contactForm, decisionButtons, reviewForm, specialRequestForm, visitForm } from './forms.js';
import { historyPanel } from './history.js';
import type { PolicyView } from './policy-view.js';

/** The roles the timeline is open to (docs/api.md, Audit trail); others are not even asked. */
const HISTORY_READERS = ['auditor', 'manager', 'compliance', 'agent'];

function summary(view: PolicyView): HTMLElement {
  const tz = view.timeZone;
  const rows: [string, string][] = [
    [t('stage'), code(view.stage)],
    [`${t('branch')} / ${t('agent')}`, `${view.branchId} / ${view.agentId}`],
    [t('printedAt'), formatTime(view.printedAt, tz)],
    [t('customer'), `${view.policyholder.name} · ${view.policyholder.phone}${view.policyholder.address ? ` · ${view.policyholder.address}` : ''}`],
    [t('callback'), `${code(view.callback.status)}${view.callback.outcome ? ` · ${code(view.callback.outcome)}` : ''}`],
    [t('receipt'), `${code(view.receipt.status)}${view.receipt.returnedAt ? ` · ${formatTime(view.receipt.returnedAt, tz)}` : ''}${view.receipt.late ? ' · late' : ''}`],
    [t('commission'), `${view.commission.amount} → ${t('net')} ${view.commission.net} · ${code(view.commission.status)}${view.commission.deductions.map((d) => ` · −${d.amount} ${d.code}`).join('')}`],
  ];
  if (view.callback.contactWindow) rows.push([t('contactWindow'), `${formatTime(view.callback.contactWindow.openedAt, tz)} → ${formatTime(view.callback.contactWindow.closesAt, tz)} · ${code(view.callback.contactWindow.outcome)}`]);
  if (view.callback.manualVisit) rows.push([t('manualVisit'), `${t('dueBy')} ${formatTime(view.callback.manualVisit.dueBy, tz)} · ${code(view.callback.manualVisit.outcome)}`]);
  if (view.callback.review) rows.push([t('review'), `${t('dueBy')} ${formatTime(view.callback.review.dueBy, tz)} · ${code(view.callback.review.decision)}`]);
  return h('dl', { class: 'facts', 'data-testid': 'policy-summary' }, rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

function callRecord(view: PolicyView): HTMLElement {
  const rows = view.callback.rounds.flatMap((round) => (round.attempts.length ? round.attempts : [undefined]).map((attempt) => [
    round.round, code(round.status), formatTime(attempt?.calledAt, view.timeZone), attempt ? (attempt.reached ? t('reached') : code(attempt.reason)) : '—',
    attempt?.findings ? [attempt.findings.proxySignature && t('proxySignature'), attempt.findings.misleading && t('misleading')].filter(Boolean).join(', ') : '',
    attempt?.operatorId ?? '',
  ]));
  return section(t('attempts'), 'call-record', rows.length ? table([t('round'), t('status'), t('calledAt'), t('result'), t('findings'), t('subject')], rows) : h('p', { class: 'muted' }, t('none')));
}

/** `/policies/{id}`: whatever the signed-in role may see of one policy, and the actions its stage allows that role. */
export async function policyPage(context: PageContext, main: HTMLElement, policyId: string): Promise<void> {
  replace(main, h('p', { class: 'muted' }, t('loading')));
  const response = await context.api.get<PolicyView>(`/v1/policies/${encodeURIComponent(policyId)}`);
  if (!response.ok) {
    replace(main, h('h1', {}, `${t('policy')} ${policyId}`), failure(response));
    return;
  }
  const view = response.body;
  const role = context.identity.role;
  const reload = () => setTimeout(() => context.refresh(), 1200);
  const now = await context.api.now();
  const actions: (HTMLElement | null)[] = [];
  const openRound = view.callback.rounds.find((round) => round.status === 'OPEN');
  if (role === 'callcentre' && openRound) actions.push(callRules(now, openRound.nextAttemptNotBefore ?? openRound.notBefore, view.timeZone), callForm(context, policyId, openRound.round, now, reload));
  if (role === 'agent' && view.stage === 'CONTACT_UPDATE' && !view.callback.contactWindow?.outcome) actions.push(contactForm(context, policyId, reload));
  if (role === 'agent' && ['WAITING_FIRST_CALLBACK', 'FIRST_CALLBACK', 'CONTACT_UPDATE', 'SECOND_CALLBACK'].includes(view.stage)) actions.push(specialRequestForm(context, policyId, reload));
  if (role === 'branch' && view.stage === 'MANUAL_VISIT') actions.push(visitForm(context, policyId, now, reload));
  if (role === 'compliance' && view.stage === 'COMPLIANCE_REVIEW') actions.push(reviewForm(context, policyId, reload));
  const requests = view.specialRequests.map((request) => [request.requestId, t(`type.${request.type}`), request.reason, formatTime(request.filedAt, view.timeZone), code(request.status),
    role === 'branch' && request.status === 'PENDING' ? decisionButtons(context, request.requestId, reload) : request.note ?? '']);
  replace(main,
    h('h1', {}, `${t('policy')} ${view.policyId}`),
    section(t('policy'), 'policy', summary(view)),
    ...actions,
    callRecord(view),
    requests.length ? section(t('specialRequests'), 'special-requests', table(['ID', t('type'), t('reason'), t('at'), t('status'), ''], requests)) : null,
    HISTORY_READERS.includes(role) ? await historyPanel(context, policyId, view.timeZone) : null);
}
