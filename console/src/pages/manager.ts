import type { PageContext } from '../context.js';
import { lineChart } from '../chart.js';
import { fields, h, replace, table } from '../dom.js';
import { t } from '../i18n.js';
import { failure, field, section } from '../widgets.js';
import { currentQuarter, optionalPanel } from './optional.js';
import { settlementPanel } from './settlement.js';

interface Ratio { count: number; of: number; rate: number | null }
interface AgentQuality { agentId: string; policiesRegistered: number; overallPass: Ratio; firstCallbackPass: Ratio; receiptOnTime: Ratio; holds: number; forfeits: number; lateReceipts: number; findings: number }
interface Quality { branchId: string; agents: AgentQuality[] }

/** The last `count` months (YYYY-MM) up to the one `now` falls in, in Asia/Shanghai. */
export function monthsUpTo(now: Date, count: number): string[] {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

const nextMonth = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);
const ratio = (items: Ratio[]) => {
  const of = items.reduce((sum, r) => sum + r.of, 0);
  return of ? items.reduce((sum, r) => sum + r.count, 0) / of : null;
};

async function qualityCharts(context: PageContext, out: HTMLElement, branchId: string, agentId: string, months: string[]): Promise<void> {
  replace(out, h('p', { class: 'muted' }, t('loading')));
  const reports = await Promise.all(months.map((month) => context.api.get<Quality>(`/v1/reports/quality?branchId=${encodeURIComponent(branchId)}&from=${encodeURIComponent(`${month}-01T00:00:00+08:00`)}&to=${encodeURIComponent(`${nextMonth(month)}-01T00:00:00+08:00`)}`)));
  const failed = reports.find((r) => !r.ok);
  if (failed) { replace(out, failure(failed)); return; }
  const per = reports.map((r) => (r.body as Quality).agents.filter((a) => !agentId || a.agentId === agentId));
  const sum = (pick: (a: AgentQuality) => number) => per.map((agents) => agents.reduce((s, a) => s + pick(a), 0));
  const latest = per[per.length - 1] ?? [];
  replace(out,
    h('div', { class: 'charts', 'data-testid': 'quality-charts' },
      lineChart(t('holds'), months, sum((a) => a.holds), { testId: 'chart-holds' }),
      lineChart(t('forfeits'), months, sum((a) => a.forfeits), { testId: 'chart-forfeits' }),
      lineChart(t('passRate'), months, per.map((agents) => ratio(agents.map((a) => a.overallPass))), { percent: true, testId: 'chart-pass' }),
      lineChart(t('receiptOnTime'), months, per.map((agents) => ratio(agents.map((a) => a.receiptOnTime))), { percent: true, testId: 'chart-receipts' })),
    h('h3', {}, `${t('perAgent')} · ${months[months.length - 1] ?? ''}`),
    table([t('agent'), t('policies'), t('passRate'), t('receiptOnTime'), t('holds'), t('forfeits')], latest.map((a) => [
      a.agentId, a.policiesRegistered, a.overallPass.rate === null ? '—' : `${(a.overallPass.rate * 100).toFixed(1)}%`,
      a.receiptOnTime.rate === null ? '—' : `${(a.receiptOnTime.rate * 100).toFixed(1)}%`, a.holds, a.forfeits,
    ]), 'quality-table'));
}

/** Managers: quality per branch (and agent) month by month, and the settlement statement with its CSV. */
export async function managerPage(context: PageContext): Promise<HTMLElement[]> {
  const now = await context.api.now();
  const out = h('div', {});
  const form = h('form', {
    class: 'inline',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const { branchId, agentId, months } = fields(form);
      void qualityCharts(context, out, branchId || 'BR-SH', agentId ?? '', monthsUpTo(now, Number(months) || 6));
    },
  },
  field(t('branch'), h('input', { name: 'branchId', value: 'BR-SH', required: true, 'data-testid': 'quality-branch' })),
  field(t('agent'), h('input', { name: 'agentId', placeholder: '*' })),
  field(t('months'), h('input', { name: 'months', type: 'number', min: 1, max: 12, value: 6 })),
  h('button', { type: 'submit' }, t('load')));
  await qualityCharts(context, out, 'BR-SH', '', monthsUpTo(now, 6));
  // Every branch for head office; the API narrows a branch's manager to its own.
  const integrity = await optionalPanel(context, `/v1/reports/integrity?quarter=${currentQuarter(now)}`, `${t('integrity')} · ${currentQuarter(now)}`, 'integrity', ['agentId', 'branchId', 'totalPoints', 'score', 'status']);
  return [section(t('quality'), 'quality', form, out), settlementPanel(context, now), ...(integrity ? [integrity] : [])];
}
