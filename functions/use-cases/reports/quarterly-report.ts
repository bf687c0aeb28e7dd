import { DateTime } from 'luxon';
import { previousQuarter, REPORTING_TIME_ZONE } from '../../domain/reporting-period.js';
import type { FalseContactReport } from '../../reporting/false-contact-report.js';
import type { Dependencies } from '../dependencies.js';
import { dispatchMail } from '../notifications/dispatch-mail.js';
import { buildFalseContactReport } from './reports.js';

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: REPORTING_TIME_ZONE }).toFormat('yyyy-MM-dd');

function summaryLines(report: FalseContactReport): string {
  if (report.agents.length === 0) return '（本季度未发现）';
  return report.agents.map((a) => `- 业务员 ${a.agentId}：${a.count} 件（${a.policies.map((p) => p.policyId).join('、')}）`).join('\n');
}

/**
 * At a quarter's close (EventBridge schedule on AWS, the virtual clock locally): e-mails the
 * closed quarter's false-information summary to compliance, once per quarter (the mail id is
 * the quarter's, so a repeated or retried invocation finds it sent).
 */
export async function sendQuarterlyFalseContactReport(deps: Dependencies, at: Date): Promise<{ quarter: string; sent: boolean }> {
  const quarter = previousQuarter(at).label;
  const to = deps.recipients.compliance();
  if (to.length === 0) return { quarter, sent: false };
  const report = await buildFalseContactReport(deps, quarter);
  const sent = await dispatchMail(deps, {
    id: `false-contact-report#${quarter}`,
    to,
    template: 'false-contact-quarterly',
    data: {
      quarter,
      fromLocal: localDate(report.from),
      toLocal: localDate(new Date(new Date(report.to).getTime() - 1).toISOString()),
      policyCount: String(report.totals.policies),
      agentCount: String(report.totals.agents),
      lines: summaryLines(report),
    },
  });
  return { quarter, sent };
}
