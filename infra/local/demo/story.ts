import { DateTime } from 'luxon';
import { DemoClient, expectValue, pick } from './demo-client.js';

/** The demo's virtual clock start: Monday 2 March 2026, 09:00 in Shanghai. */
export const DEMO_CLOCK_START = new Date('2026-03-02T01:00:00Z');

const AGENTS = {
  A1001: { agentId: 'A1001', name: '王芳', phone: '13900000001', email: 'a1001@insurer.example' },
  A1002: { agentId: 'A1002', name: '李强', phone: '13900000002', email: 'a1002@insurer.example' },
} as const;

type Json = Record<string, unknown>;

/**
 * Four policies through one spring, as the rules play out (docs/rules.md §3–§5): a pass; a
 * failed callback, the agent's contact window closing unanswered, a failed second callback
 * and a manual visit that finds the number wrong (−40); a misleading-sale finding that
 * compliance dismisses; a receipt back after three months (−20); and the settlements of the
 * 20th paying, deferring and then paying each commission once.
 */
export async function playStory(demo: DemoClient): Promise<void> {
  demo.say('The virtual clock stands at 2026-03-02 09:00 (Asia/Shanghai); nothing is registered yet.');
  demo.say('Upstream registers four policies printed this morning, 1,200.00 CNY commission each:');
  for (const [policyId, agent, holder] of [
    ['P-2001', AGENTS.A1001, '13800000001'], ['P-2002', AGENTS.A1001, '13800000002'],
    ['P-2003', AGENTS.A1002, '13800000003'], ['P-2004', AGENTS.A1002, '13800000004'],
  ] as const) {
    const view = await demo.json('upstream', 'POST', '/v1/policies', 201, {
      policyId, productCode: 'LIFE20', branchId: 'BR-SH', printedAt: '2026-03-02T08:30:00+08:00', effectiveAt: '2026-03-02',
      agent, policyholder: { name: '张三', phone: holder }, commission: { amount: '1200.00' },
    });
    demo.say(`${policyId} (agent ${agent.agentId})`, `201 ${String(view.stage)}, first callback due ${local(pick(view, 'deadlines', 'firstCallbackDueAt'))}`);
  }

  await demo.clockTo('2026-03-12T10:00');
  const due = await demo.call('callcentre', 'GET', '/v1/callbacks/due', 200);
  demo.say('Call centre: the dialling queue', (due.body as Json[]).map((entry) => `${String(entry.policyId)} round ${String(entry.round)}`).join(', '));
  await attempt(demo, 'P-2001', 1, '09:20', { reached: true }, 'PASSED', 'reached, nothing wrong');
  await attempt(demo, 'P-2002', 1, '09:25', { reached: false, reason: 'WRONG_NUMBER' }, 'FAILED', 'wrong number (a number problem ends the round at once)');
  await attempt(demo, 'P-2003', 1, '09:30', { reached: true, findings: { proxySignature: false, misleading: true } }, 'FINDINGS', 'reached, the customer reports a misleading sale');
  await attempt(demo, 'P-2004', 1, '09:35', { reached: true }, 'PASSED', 'reached, nothing wrong');
  await show(demo, 'P-2002', 'the contact-update window is open', (v) => `${String(v.stage)} until ${local(pick(v, 'callback', 'contactWindow', 'closesAt'))}, agent e-mailed`, 'CONTACT_UPDATE');
  await show(demo, 'P-2003', 'held for compliance review', (v) => `${String(v.stage)}, commission ${String(pick(v, 'commission', 'status'))}`, 'COMPLIANCE_REVIEW');
  const reviews = await demo.call('compliance', 'GET', '/v1/reviews/open', 200);
  demo.say('Compliance: open reviews', (reviews.body as Json[]).map((entry) => String(entry.policyId)).join(', '));
  await demo.json('compliance:C1', 'POST', '/v1/policies/P-2003/review', 200, { decision: 'DISMISS', note: 'recording checked: the sale was explained' });
  await show(demo, 'P-2003', 'review dismissed', (v) => `callback ${String(pick(v, 'callback', 'status'))}, ${String(v.stage)}`, 'COMPLETED');
  for (const policyId of ['P-2001', 'P-2002', 'P-2003']) {
    await demo.json('upstream', 'POST', `/v1/policies/${policyId}/receipt`, 200, { returnedAt: '2026-03-12T09:50:00+08:00' });
  }
  demo.say('Upstream: signed receipts back for P-2001, P-2002, P-2003', 'on time; P-2004\'s is still out');

  await demo.clockTo('2026-03-20T10:00');
  await statement(demo, '2026-03', 'The settlement ran by itself at 09:00 on the 20th');

  await demo.clockTo('2026-03-22T10:30');
  await show(demo, 'P-2002', 'the agent never answered; the window closed at 10:00', (v) => `${String(v.stage)}, round 2 open`, 'SECOND_CALLBACK');
  await attempt(demo, 'P-2002', 2, '10:15', { reached: false, reason: 'EMPTY_NUMBER' }, 'FAILED', 'empty number');
  const visits = await demo.call('branch:B7', 'GET', '/v1/manual-visits/open', 200);
  demo.say('Branch: open manual visits', (visits.body as Json[]).map((entry) => `${String(entry.policyId)} due by ${local(entry.dueBy)}`).join(', '));
  await show(demo, 'P-2002', 'commission held', (v) => `${String(v.stage)}, commission ${String(pick(v, 'commission', 'status'))}, branch manager e-mailed`, 'MANUAL_VISIT');

  await demo.clockTo('2026-03-24T15:00');
  await demo.json('branch:B7', 'POST', '/v1/policies/P-2002/manual-visit', 200, {
    visitedAt: '2026-03-24T14:00:00+08:00', success: true, phoneWrongOrOutOfUse: true, visitorId: 'V1',
  });
  const visited = await show(demo, 'P-2002', 'visited: reached, but the number on file was wrong', (v) => `commission ${String(pick(v, 'commission', 'status'))}, net ${String(pick(v, 'commission', 'net'))} (−40.00)`, 'COMPLETED');
  expectValue('P-2002 net commission', pick(visited, 'commission', 'net'), '1160.00');

  await demo.clockTo('2026-04-20T10:00');
  await statement(demo, '2026-04', 'April\'s settlement');

  await demo.clockTo('2026-06-10T10:00');
  await demo.json('upstream', 'POST', '/v1/policies/P-2004/receipt', 200, { returnedAt: '2026-06-10T09:30:00+08:00' });
  const late = await show(demo, 'P-2004', 'receipt back, more than three calendar months after 2026-03-02', (v) => `late ${String(pick(v, 'receipt', 'late'))}, net ${String(pick(v, 'commission', 'net'))} (−20.00)`, 'COMPLETED');
  expectValue('P-2004 net commission', pick(late, 'commission', 'net'), '1180.00');

  await demo.clockTo('2026-06-20T10:00');
  await statement(demo, '2026-05', 'May\'s settlement (ran on 20 May)');
  await statement(demo, '2026-06', 'June\'s settlement');

  const verify = await demo.json('auditor:AU1', 'GET', '/v1/policies/P-2002/history/verify', 200);
  expectValue('P-2002 history verification', verify.valid, true);
  demo.say('Auditor: P-2002\'s hash-chained history', `valid, ${String(verify.events)} events, ${String(pick(verify, 'workflowSteps', 'records'))} workflow steps`);
  const mails = await demo.call(undefined, 'GET', '/_local/emails', 200);
  demo.say(`E-mails sent (${(mails.body as Json[]).length}):`);
  for (const mail of mails.body as Json[]) demo.say(`  ${local(mail.sentAt)}  ${String(mail.subject)}`);
}

async function attempt(demo: DemoClient, policyId: string, round: number, at: string, outcome: Json, expected: string, what: string): Promise<void> {
  const day = round === 1 ? '2026-03-12' : '2026-03-22';
  const answer = await demo.json('callcentre:OP7', 'POST', `/v1/policies/${policyId}/callback-attempts`, 200, {
    attemptId: `${policyId}-R${round}-1`, round, calledAt: `${day}T${at}:00+08:00`, operatorId: 'OP7', ...outcome,
  });
  expectValue(`${policyId}'s round ${round}`, answer.roundStatus, expected);
  demo.say(`Call centre calls ${policyId} (round ${round}, ${at}): ${what}`, `round ${expected}`);
}

async function show(demo: DemoClient, policyId: string, what: string, summary: (view: Json) => string, stage: string): Promise<Json> {
  const view = await demo.json('manager', 'GET', `/v1/policies/${policyId}`, 200);
  expectValue(`${policyId}'s stage`, view.stage, stage);
  demo.say(`${policyId}: ${what}`, summary(view));
  return view;
}

async function statement(demo: DemoClient, month: string, what: string): Promise<void> {
  const run = await demo.json('manager', 'GET', `/v1/settlements/${month}`, 200);
  expectValue(`the ${month} settlement's status`, run.status, 'COMPLETED');
  demo.say(`${what}: statement ${month}`, `total net ${String(run.totalNet)}`);
  for (const agent of (run.agents as Json[] | undefined) ?? []) {
    for (const line of agent.lines as Json[]) {
      const deductions = (line.deductions as Json[]).map((d) => ` −${String(d.amount)} ${String(d.code)}`).join('');
      const why = line.decision === 'PAY' ? `net ${String(line.net)}${deductions}` : String(line.reason);
      demo.say(`  ${String(agent.agentId)}  ${String(line.policyId)}  ${String(line.decision).padEnd(7)} ${why}`);
    }
  }
}

/** An instant as local time in Shanghai, e.g. "03-12 08:30". */
function local(value: unknown): string {
  return typeof value === 'string' ? DateTime.fromISO(value).setZone('Asia/Shanghai').toFormat('MM-dd HH:mm') : String(value);
}
