import type { PageContext } from '../context.js';
import { newId } from '../api.js';
import { fields, h, replace } from '../dom.js';
import { code, formatTime, t } from '../i18n.js';
import { field, fromLocalInput, outcome, section, toLocalInput } from '../widgets.js';
import { FAILURE_GROUPS, FAILURE_REASON_GROUP, FAILURE_REASONS } from '../../../functions/domain/failure-reasons.js';
import { CONFIRMATION_ANSWERS } from '../../../functions/domain/regulatory-callback.js';
import { attemptBody, POINT_FIELDS } from '../call-attempt.js';
import { showFieldErrors } from '../field-errors.js';

/** The call form's draft key: `call:<policyId>:<round>`. */
export const CALL_DRAFT = 'call:';

function hourIn(timeZone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hour12: false }).format(at)) % 24;
}

/** docs/rules.md: 09:00–21:00 in the policy's zone, and 6 hours after a failed call — shown before a call is made. */
export function callRules(now: Date, notBefore: string | undefined, timeZone = 'Asia/Shanghai'): HTMLElement {
  const hour = hourIn(timeZone, now);
  const inHours = hour >= 9 && hour < 21;
  const waited = !notBefore || new Date(notBefore) <= now;
  return h('div', { class: `rules ${inHours && waited ? 'ok' : 'warn'}`, 'data-testid': 'call-rules' },
    h('strong', {}, t('rules.title')),
    h('ul', {},
      h('li', {}, `${t('rules.hours')} — ${t('rules.now')} ${formatTime(now.toISOString(), timeZone)} (${timeZone})`),
      h('li', {}, `${t('rules.sixHours')}${notBefore ? ` — ${t('notBefore')} ${formatTime(notBefore, timeZone)}` : ''}`)),
    h('p', {}, inHours && waited ? t('rules.ok') : t('rules.wait')));
}

/** The call record: reached or not (with the reason), and for a reached call the findings, the seven art. 15 answers and the recording. */
export function callForm(context: PageContext, policyId: string, round: number, now: Date, done: () => void): HTMLElement {
  const reasons = h('select', { name: 'reason', 'data-testid': 'reason' },
    FAILURE_GROUPS.map((group) => h('optgroup', { label: t(`group.${group}`) },
      FAILURE_REASONS.filter((reason) => FAILURE_REASON_GROUP[reason] === group).map((reason) => h('option', { value: reason }, `${code(reason)} (${reason})`)))));
  const reasonField = field(t('reason'), reasons);
  // The rule set's mandatory points come with the policy (markMandatory below); a 400 marks them too (field-errors.ts).
  const regulatory = h('fieldset', { 'data-testid': 'confirmations', hidden: true }, h('legend', {}, t('confirmations')),
    POINT_FIELDS.map(({ point, name }) => field(t(`point.${point}`), h('select', { name, 'data-testid': name },
      CONFIRMATION_ANSWERS.map((answer) => h('option', { value: answer, selected: answer === 'NOT_ASKED' }, t(`answer.${answer}`)))))),
    field(t('recordingRef'), h('input', { name: 'recordingRef', maxlength: 200, 'data-testid': 'recordingRef' })),
    field(t('durationSeconds'), h('input', { name: 'durationSeconds', type: 'number', min: 0, max: 86400, step: 1, 'data-testid': 'durationSeconds' })));
  const findings = h('fieldset', { hidden: true }, h('legend', {}, t('findings')),
    field(t('proxySignature'), h('input', { type: 'checkbox', name: 'proxySignature' })),
    field(t('misleading'), h('input', { type: 'checkbox', name: 'misleading' })));
  const showReached = (reached: boolean) => { reasonField.hidden = reached; regulatory.hidden = !reached; findings.hidden = !reached; };
  const result = h('div', {});
  const form = h('form', {
    'data-testid': 'call-form',
    // Kept across a sign-in (drafts.ts); the call centre's page reopens it by this key.
    'data-draft': `${CALL_DRAFT}${policyId}:${round}`,
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const values = fields(form);
      const body = attemptBody(values, { attemptId: newId('AT'), round, calledAt: fromLocalInput(values.calledAt ?? ''), operatorId: context.identity.subject ?? 'console' });
      const response = await context.api.post<{ roundStatus: string; nextAttemptNotBefore?: string }>(`/v1/policies/${encodeURIComponent(policyId)}/callback-attempts`, body);
      // Each field the API named is shown at its input; the message under the form says it all.
      showFieldErrors(form, response.details ?? []);
      replace(result, outcome(response, response.ok ? `${t('result.roundStatus')}: ${code(response.body.roundStatus)}${response.body.nextAttemptNotBefore ? ` · ${t('result.next')} ${formatTime(response.body.nextAttemptNotBefore)}` : ''}` : ''));
      if (response.ok) done();
    },
  },
  field(t('calledAt'), h('input', { type: 'datetime-local', name: 'calledAt', value: toLocalInput(now), required: true })),
  field(t('reached'), h('input', { type: 'checkbox', name: 'reached', 'data-testid': 'reached', onchange: (event: Event) => showReached((event.target as HTMLInputElement).checked) })),
  reasonField, findings, regulatory,
  h('button', { type: 'submit' }, t('submit')));
  void markMandatory(context, policyId, form);
  return section(`${t('callForm')} · ${policyId} · ${t('round')} ${round}`, 'call-panel', form, result);
}

/** Marks the points the policy's rule set requires of a reached call (`confirmationRules` of the view), before anything is sent. */
async function markMandatory(context: PageContext, policyId: string, form: HTMLFormElement): Promise<void> {
  const view = await context.api.get<{ confirmationRules?: { enforced: boolean; mandatory: string[] } }>(`/v1/policies/${encodeURIComponent(policyId)}`);
  const rules = view.ok ? view.body.confirmationRules : undefined;
  if (!rules?.enforced) return;
  for (const point of rules.mandatory) {
    const input = form.elements.namedItem(`confirmations.${point}`);
    if (input instanceof HTMLSelectElement) input.closest('label')?.classList.add('mandatory');
  }
  const recording = form.elements.namedItem('recordingRef');
  if (recording instanceof HTMLInputElement) recording.closest('label')?.classList.add('mandatory');
}

export function contactForm(context: PageContext, policyId: string, done: () => void): HTMLElement {
  const result = h('div', {});
  const send = async (body: unknown) => {
    const response = await context.api.put(`/v1/policies/${encodeURIComponent(policyId)}/contact`, body);
    replace(result, outcome(response, t('saved')));
    if (response.ok) done();
  };
  const form = h('form', {
    'data-testid': 'contact-form',
    'data-draft': 'contact-form',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const { phone, address } = fields(form);
      void send({ phone, ...(address ? { address } : {}) });
    },
  },
  field(t('newPhone'), h('input', { name: 'phone', required: true, pattern: '[0-9+\\- ]{5,20}' })),
  field(t('address'), h('input', { name: 'address' })),
  h('button', { type: 'submit' }, t('updateContact')),
  h('button', { type: 'button', 'data-testid': 'confirm-contact', onclick: () => void send({ confirm: true }) }, t('confirmContact')));
  return section(t('contactForm'), 'contact-panel', form, result);
}

export function specialRequestForm(context: PageContext, policyId: string, done: () => void): HTMLElement {
  const result = h('div', {});
  const form = h('form', {
    'data-testid': 'special-form',
    'data-draft': 'special-form',
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const { type, reason, signedConfirmationRef } = fields(form);
      const response = await context.api.post<{ requestId: string }>(`/v1/policies/${encodeURIComponent(policyId)}/special-requests`, { type, reason, ...(type === 'EXEMPT' ? { signedConfirmationRef } : {}) });
      replace(result, outcome(response, `${t('requestFiled')}: ${response.ok ? response.body.requestId : ''}`));
      if (response.ok) done();
    },
  },
  field(t('type'), h('select', { name: 'type' }, ['EARLY', 'EXEMPT'].map((type) => h('option', { value: type }, t(`type.${type}`))))),
  field(t('requestReason'), h('input', { name: 'reason', required: true })),
  field(t('signedConfirmationRef'), h('input', { name: 'signedConfirmationRef' })),
  h('button', { type: 'submit' }, t('submit')));
  return section(t('specialForm'), 'special-panel', form, result);
}

export function visitForm(context: PageContext, policyId: string, now: Date, done: () => void): HTMLElement {
  const result = h('div', {});
  const form = h('form', {
    'data-testid': 'visit-form',
    'data-draft': 'visit-form',
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const values = fields(form);
      const proxySignature = values.proxySignature === 'on';
      const misleading = values.misleading === 'on';
      const response = await context.api.post(`/v1/policies/${encodeURIComponent(policyId)}/manual-visit`, {
        visitedAt: fromLocalInput(values.visitedAt ?? ''), success: values.success === 'on', phoneWrongOrOutOfUse: values.phoneWrong === 'on',
        ...(proxySignature || misleading ? { findings: { proxySignature, misleading } } : {}), visitorId: values.visitorId,
      });
      replace(result, outcome(response, t('saved')));
      if (response.ok) done();
    },
  },
  field(t('visitedAt'), h('input', { type: 'datetime-local', name: 'visitedAt', value: toLocalInput(now), required: true })),
  field(t('success'), h('input', { type: 'checkbox', name: 'success', 'data-testid': 'visit-success' })),
  field(t('phoneWrong'), h('input', { type: 'checkbox', name: 'phoneWrong' })),
  h('fieldset', {}, h('legend', {}, t('findings')),
    field(t('proxySignature'), h('input', { type: 'checkbox', name: 'proxySignature' })),
    field(t('misleading'), h('input', { type: 'checkbox', name: 'misleading' }))),
  field(t('visitorId'), h('input', { name: 'visitorId', required: true, value: context.identity.subject ?? '' })),
  h('button', { type: 'submit' }, t('submit')));
  return section(t('visitForm'), 'visit-panel', form, result);
}

export function reviewForm(context: PageContext, policyId: string, done: () => void): HTMLElement {
  const result = h('div', {});
  const form = h('form', {
    'data-testid': 'review-form',
    'data-draft': 'review-form',
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const { decision, note } = fields(form);
      const response = await context.api.post(`/v1/policies/${encodeURIComponent(policyId)}/review`, { decision, note });
      replace(result, outcome(response, t('saved')));
      if (response.ok) done();
    },
  },
  field(t('decision'), h('select', { name: 'decision' }, ['DISMISS', 'UPHOLD'].map((decision) => h('option', { value: decision }, t(`decision.${decision}`))))),
  field(t('note'), h('textarea', { name: 'note', required: true })),
  h('button', { type: 'submit' }, t('submit')));
  return section(t('reviewForm'), 'review-panel', form, result);
}

export function decisionButtons(context: PageContext, requestId: string, done: () => void): HTMLElement {
  const result = h('span', {});
  const decide = async (approve: boolean) => {
    const response = await context.api.post(`/v1/special-requests/${encodeURIComponent(requestId)}/decision`, { approve });
    replace(result, outcome(response, t('saved')));
    if (response.ok) done();
  };
  return h('span', { 'data-testid': `decide-${requestId}` },
    h('button', { type: 'button', onclick: () => void decide(true) }, t('approve')),
    h('button', { type: 'button', onclick: () => void decide(false) }, t('reject')), result);
}
