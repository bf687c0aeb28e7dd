import type { PageContext } from '../context.js';
import { fields, h, replace, table } from '../dom.js';
import { code, t } from '../i18n.js';
import { failure, field, section } from '../widgets.js';

interface Line { policyId: string; branchId: string; decision: string; reason?: string; gross: string; deductions: { code: string; amount: string }[]; net: string }
interface Statement { month: string; status: string; agents: { agentId: string; lines: Line[]; totalNet: string }[]; totalNet: string }

/** `GET /v1/settlements/{month}` as a table, and the payroll CSV (`Accept: text/csv`) as a download. */
export function settlementPanel(context: PageContext, now: Date): HTMLElement {
  const out = h('div', {});
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const load = async (month: string) => {
    const response = await context.api.get<Statement>(`/v1/settlements/${encodeURIComponent(month)}`);
    if (!response.ok) { replace(out, response.status === 404 ? h('p', { class: 'muted' }, t('notRun')) : failure(response)); return; }
    const rows = response.body.agents.flatMap((agent) => [
      ...agent.lines.map((line) => [agent.agentId, line.policyId, line.branchId, `${code(line.decision)}${line.reason ? ` · ${code(line.reason)}` : ''}`, line.gross, line.deductions.map((d) => `${d.code} ${d.amount}`).join(', '), line.net]),
      [h('strong', {}, agent.agentId), '', '', t('total'), '', '', h('strong', {}, agent.totalNet)],
    ]);
    const download = async () => {
      const csv = await context.api.get<string>(`/v1/settlements/${encodeURIComponent(month)}`, 'text/csv');
      if (!csv.ok) { replace(out, failure(csv)); return; }
      const link = h('a', { href: URL.createObjectURL(new Blob([csv.body], { type: 'text/csv' })), download: `settlement-${month}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
    };
    replace(out,
      h('p', {}, `${month} · ${code(response.body.status)} · ${t('total')} ${response.body.totalNet}`),
      h('button', { type: 'button', 'data-testid': 'download-csv', onclick: () => void download() }, t('downloadCsv')),
      table([t('agent'), t('policyId'), t('branch'), t('decision'), t('gross'), t('deductions'), t('net')], rows, 'settlement-table'));
  };
  const form = h('form', {
    class: 'inline',
    onsubmit: (event: Event) => { event.preventDefault(); void load(fields(form).month ?? previous); },
  }, field(t('month'), h('input', { name: 'month', type: 'month', value: previous, required: true, 'data-testid': 'settlement-month' })), h('button', { type: 'submit' }, t('load')));
  return section(t('settlement'), 'settlement', form, out);
}
