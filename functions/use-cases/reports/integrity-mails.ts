import { DateTime } from 'luxon';
import type { IntegrityCase } from '../../domain/integrity-cases.js';
import { previousQuarter, REPORTING_TIME_ZONE } from '../../domain/reporting-period.js';
import type { AgentIntegrityLine, IntegrityReport } from '../../reporting/integrity-report.js';
import type { Dependencies } from '../dependencies.js';
import { dispatchMail } from '../notifications/dispatch-mail.js';
import { buildIntegrityReport } from './integrity-report.js';

const CASE_TEXT: Record<IntegrityCase, string> = {
  RECEIPT_NOT_RETURNED: '保单回执未回销',
  RECEIPT_RETURNED_LATE: '保单回执未及时回销',
  CONTACT_UPDATE_NOT_RETURNED: '回访失败后未在规定时间内反馈客户联系方式',
  PROXY_SIGNATURE_UPHELD: '代签名（经合规认定）',
  MISLEADING_UPHELD: '误导销售（经合规认定）',
  FALSE_CONTACT: '虚假客户联系信息',
};

const localDate = (at: Date) => DateTime.fromJSDate(at, { zone: REPORTING_TIME_ZONE }).toFormat('yyyy-MM-dd');

/** The id makes the mail once per agent and quarter, whoever runs the job and however often. */
export const integrityMailId = (quarter: string, agentId: string) => `integrity#${quarter}#${agentId}`;

function mailData(report: IntegrityReport, agent: AgentIntegrityLine): Record<string, string> {
  const dismissal = agent.status === 'DISMISSAL_PROPOSED';
  return {
    quarter: report.quarter,
    agentId: agent.agentId,
    branchId: agent.branchId,
    fromLocal: localDate(new Date(report.from)),
    toLocal: localDate(new Date(new Date(report.to).getTime() - 1)),
    score: String(agent.score),
    startScore: String(report.table.startScore),
    totalPoints: String(agent.totalPoints),
    previousScore: String(agent.previousScore),
    restrictedBelow: String(report.table.restrictedBelow),
    statusText: dismissal ? `连续 ${report.table.dismissalAfterConsecutive} 个季度低于 ${report.table.restrictedBelow} 分，建议清退` : '限制展业',
    statusAdvice: dismissal ? '请按制度启动解除代理合同的审核程序。' : '请限制其展业，并安排辅导。',
    lines: agent.points.map((p) => `- ${localDate(new Date(p.at))} 保单 ${p.policyId}：${CASE_TEXT[p.case]}，扣 ${p.points} 分`).join('\n') || '（本季度无扣分）',
  };
}

/**
 * At a quarter's close (the quarterly job): for each agent whose closed-quarter score fell
 * below the threshold, one e-mail to the branch's managers (docs/rules.md §9). The scores
 * of a closed quarter no longer change, and each mail's id is the agent's and quarter's, so
 * a retried or repeated run sends only what is missing.
 */
export async function sendIntegrityMails(deps: Dependencies, at: Date): Promise<{ quarter: string; flagged: number; sent: number }> {
  const quarter = previousQuarter(at).label;
  const report = await buildIntegrityReport(deps, quarter);
  const flagged = report.agents.filter((a) => a.status !== 'OK');
  let sent = 0;
  for (const agent of flagged) {
    const to = deps.recipients.branchManagers(agent.branchId);
    if (await dispatchMail(deps, { id: integrityMailId(quarter, agent.agentId), to, template: 'integrity-threshold', data: mailData(report, agent) })) sent++;
  }
  return { quarter, flagged: flagged.length, sent };
}
