import type { PageContext } from '../context.js';
import { fields, h, replace, table } from '../dom.js';
import { formatTime, t } from '../i18n.js';
import { failure, field, fromLocalInput, policyLink, section, toLocalInput } from '../widgets.js';

interface AuditEvent { policyId: string; seq: number; at: string; type: string; actor: { role: string; subject?: string }; agentId: string; branchId: string; data: Record<string, unknown> }
interface AccessRecord { id: string; at: string; role: string; subject?: string; action: string; policyId?: string; filters?: Record<string, string> }

function periodFields(now: Date): HTMLElement[] {
  return [
    field(t('from'), h('input', { type: 'datetime-local', name: 'from', value: toLocalInput(new Date(now.getTime() - 30 * 86_400_000)), required: true })),
    field(t('to'), h('input', { type: 'datetime-local', name: 'to', value: toLocalInput(new Date(now.getTime() + 60_000)), required: true })),
  ];
}

function query(values: Record<string, string>, names: string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = values[name];
    if (!value) continue;
    params.set(name, name === 'from' || name === 'to' ? fromLocalInput(value) : value);
  }
  return params;
}

/** `GET /v1/audit/events`: by agent, branch, type and period, page by page. */
export function auditSearchPanel(context: PageContext, now: Date): HTMLElement {
  const out = h('div', {});
  const run = async (params: URLSearchParams, append: boolean) => {
    const response = await context.api.get<{ events: AuditEvent[]; nextCursor?: string }>(`/v1/audit/events?${params}`);
    if (!response.ok) { replace(out, failure(response)); return; }
    const rows = response.body.events.map((e) => [formatTime(e.at), policyLink(e.policyId, context.navigate), String(e.seq), e.type, `${e.actor.role}${e.actor.subject ? `:${e.actor.subject}` : ''}`, e.branchId, e.agentId]);
    const next = response.body.nextCursor;
    const more = next ? h('button', { type: 'button', onclick: () => { const p = new URLSearchParams(params); p.set('cursor', next); void run(p, true); } }, t('more')) : null;
    const result = table([t('at'), t('policyId'), '#', t('eventType'), t('actor'), t('branch'), t('agent')], rows, 'audit-results');
    if (append) { out.querySelector('button')?.remove(); out.append(result); if (more) out.append(more); } else replace(out, result, more);
  };
  const form = h('form', {
    class: 'inline',
    onsubmit: (event: Event) => { event.preventDefault(); void run(query(fields(form), ['from', 'to', 'agentId', 'branchId', 'type']), false); },
  }, ...periodFields(now),
  field(t('agent'), h('input', { name: 'agentId', 'data-testid': 'audit-agent' })),
  field(t('branch'), h('input', { name: 'branchId' })),
  field(t('eventType'), h('input', { name: 'type', placeholder: 'CallbackAttemptRecorded' })),
  h('button', { type: 'submit', 'data-testid': 'audit-search-submit' }, t('search')));
  return section(t('auditSearch'), 'audit-search', form, out);
}

/** `GET /v1/audit/access-log`: who read what, and when. */
export function accessLogPanel(context: PageContext, now: Date): HTMLElement {
  const out = h('div', {});
  const form = h('form', {
    class: 'inline',
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const response = await context.api.get<{ records: AccessRecord[] }>(`/v1/audit/access-log?${query(fields(form), ['from', 'to'])}`);
      if (!response.ok) { replace(out, failure(response)); return; }
      replace(out, table([t('at'), t('actor'), t('action'), t('policyId'), ''], response.body.records.map((r) => [
        formatTime(r.at), `${r.role}${r.subject ? `:${r.subject}` : ''}`, r.action, r.policyId ?? '', r.filters ? JSON.stringify(r.filters) : '',
      ]), 'access-log'));
    },
  }, ...periodFields(now), h('button', { type: 'submit', 'data-testid': 'access-log-search' }, t('search')));
  return section(t('accessLog'), 'access-log-panel', form, out);
}

export async function auditorPage(context: PageContext): Promise<HTMLElement[]> {
  const now = await context.api.now();
  return [auditSearchPanel(context, now), accessLogPanel(context, now)];
}
