import { z } from 'zod';
import { FAILURE_REASONS } from '../domain/failure-reasons.js';
import { STAGES } from '../lifecycle/stage.js';

/**
 * Response bodies of the HTTP API, as the use cases return them today. They describe the
 * wire format for the OpenAPI document (docs/openapi.json), and the e2e tests check every
 * real response against them. Objects are closed: a field the handlers add must be added here.
 */
const instant = z.iso.datetime({ offset: true }).describe('ISO-8601 instant');
const date = z.iso.date().describe('calendar date YYYY-MM-DD');
const money = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/).describe('decimal CNY amount, e.g. "1200.00"');
const count = z.int().min(0);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).describe('month YYYY-MM');
const findings = z.object({ proxySignature: z.boolean(), misleading: z.boolean() });
const deduction = z.object({ code: z.enum(['WRONG_PHONE', 'LATE_RECEIPT']), amount: money });
const nextCursor = z.string().optional().describe('present when there are more results: pass it as `cursor` with the same filters');

/** `{error: {code, message, details?}}`: every 4xx/5xx of every route (docs/api.md, Errors). */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('machine-readable code, e.g. VALIDATION_FAILED, FORBIDDEN, a business rule name'),
      message: z.string().describe('what went wrong, naming the field or rule'),
      details: z.array(z.record(z.string(), z.unknown())).optional().describe('one item per bad field (field, rule, message) or the rule broken'),
    }),
  })
  .meta({ id: 'Error' });

const round = z.object({
  round: z.int().min(1),
  status: z.enum(['OPEN', 'PASSED', 'FAILED', 'FINDINGS', 'CLOSED']).describe('CLOSED: ended by an approved exemption or a cancellation (endReason EXEMPTED or CANCELLED)'),
  openedAt: instant,
  notBefore: instant,
  deadline: instant,
  endReason: z.string().optional().describe('why a closed round ended, e.g. REACHED, MAX_FAILED_ATTEMPTS, TIMED_OUT'),
  nextAttemptNotBefore: instant.optional(),
  attempts: z.array(
    z.object({
      attemptId: z.string(),
      calledAt: instant,
      reached: z.boolean(),
      reason: z.enum(FAILURE_REASONS).optional(),
      findings: findings.optional(),
      operatorId: z.string(),
    }),
  ),
});

const commission = z.object({
  amount: money,
  status: z.enum(['PENDING', 'HELD', 'PAYABLE', 'PAID', 'FORFEITED', 'CANCELLED', 'DEFERRED_FOR_GOOD']).describe('FORFEITED, CANCELLED and DEFERRED_FOR_GOOD are final, with net 0.00'),
  deductions: z.array(deduction),
  net: money,
  settlement: z
    .object({ month, decision: z.string().describe('PAY, DEFER or FORFEIT'), reason: z.string().optional(), net: money, settledAt: instant })
    .optional()
    .describe('the settlement that paid, forfeited or deferred the commission for good'),
});

/** `GET /v1/policies/{policyId}` and the commands that answer with the policy as it now stands. */
export const policyView = z
  .object({
    policyId: z.string(),
    productCode: z.string(),
    branchId: z.string(),
    agentId: z.string(),
    printedAt: instant,
    effectiveAt: date,
    timeZone: z.string(),
    stage: z.enum(STAGES),
    policyholder: z.object({ name: z.string(), phone: z.string(), address: z.string().optional() }).describe('masked for roles that may not read customer data'),
    callback: z.object({
      status: z.enum(['PENDING', 'PASSED', 'EXEMPT', 'FAILED', 'FINDINGS']),
      outcome: z.enum(['PASSED', 'EXEMPT', 'RELEASED', 'FORFEITED']).optional(),
      rounds: z.array(round),
      contactWindow: z.object({ openedAt: instant, closesAt: instant, outcome: z.enum(['UPDATED', 'CONFIRMED', 'UNANSWERED']).optional(), respondedAt: instant.optional() }).optional(),
      manualVisit: z.object({ orderedAt: instant, dueBy: instant, escalations: count, outcome: z.enum(['SUCCESS', 'SUCCESS_WRONG_PHONE', 'FAILURE', 'FINDINGS']).optional(), visitedAt: instant.optional() }).optional(),
      review: z.object({ openedAt: instant, dueBy: instant, escalations: count, decision: z.enum(['DISMISS', 'UPHOLD']).optional(), decidedAt: instant.optional() }).optional(),
      agentPhoneAsCustomer: z.boolean(),
    }),
    specialRequests: z.array(
      z.object({
        requestId: z.string(),
        type: z.enum(['EARLY', 'EXEMPT']),
        reason: z.string(),
        filedAt: instant,
        status: z.enum(['PENDING', 'APPROVED', 'REJECTED']),
        decidedAt: instant.optional(),
        note: z.string().optional(),
      }),
    ),
    receipt: z.object({ status: z.enum(['PENDING', 'RETURNED']), returnedAt: instant.optional(), late: z.boolean(), givenUp: z.boolean() }),
    commission,
    ruleSet: z.object({ name: z.string(), version: z.int().min(1) }),
    deadlines: z.object({
      firstCallbackDueAt: instant,
      roundDeadline: instant.optional(),
      contactWindowClosesAt: instant.optional(),
      manualVisitDueBy: instant.optional(),
      reviewDueBy: instant.optional(),
      receiptGivenUpAt: instant.optional(),
    }),
    falseContactFound: z.boolean(),
    cancelled: z.object({ cancelledAt: instant, reason: z.string() }).optional(),
    version: z.int().min(1).describe('number of events in the policy log'),
  })
  .meta({ id: 'PolicyView' });

export const attemptResult = z
  .object({ roundStatus: z.string().describe('OPEN, PASSED, FAILED or FINDINGS'), nextAttemptNotBefore: instant.optional() })
  .meta({ id: 'AttemptResult' });

export const specialRequestFiled = z.object({ requestId: z.string() }).meta({ id: 'SpecialRequestFiled' });

export const dueCallbacks = z
  .array(z.object({ policyId: z.string(), round: z.int().min(1), attemptsSoFar: count, phone: z.string(), name: z.string(), notBefore: instant }))
  .meta({ id: 'DueCallbacks' });

export const workQueue = z
  .array(z.object({
    policyId: z.string(), branchId: z.string(), agentId: z.string(), dueBy: instant, overdue: z.boolean(),
    policyholder: z.object({ name: z.string(), phone: z.string(), address: z.string().optional() }).optional()
      .describe('manual visits only: the customer to visit, in full for the branch, masked for others'),
  }))
  .meta({ id: 'WorkQueue' });

const actor = z.object({ role: z.string(), subject: z.string().optional() });
const eventData = z
  .looseObject({ type: z.string().optional() })
  .describe('the facts the event recorded, as stored (its `type` names the event); customer data masked for the viewer');
const snapshot = z
  .object({ stage: z.string(), callbackStatus: z.string(), commissionStatus: z.string(), receiptStatus: z.string(), deductions: z.array(z.string()) })
  .nullable()
  .describe('where the policy stood; null before the first event or around an event that cannot be replayed');

export const policyHistory = z
  .object({
    policyId: z.string(),
    events: count,
    workflowSteps: count,
    executions: z.array(z.string()),
    headHash: z.string().optional(),
    timeline: z.array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('event'), seq: z.int(), at: z.string(), actor, type: z.string(), data: eventData, before: snapshot, after: snapshot, prevHash: z.string(), hash: z.string() }),
        z.object({ kind: z.literal('step'), at: z.string(), execution: z.string(), executionArn: z.string(), n: z.int(), type: z.string(), stateName: z.string().optional(), prevHash: z.string(), hash: z.string() }),
      ]),
    ),
  })
  .meta({ id: 'PolicyHistory' });

export const historyVerification = z
  .object({
    valid: z.boolean(),
    events: count,
    firstBrokenAt: z.int().optional().describe('sequence number of the first altered, missing or unlinked event'),
    reason: z.string().optional(),
    workflowSteps: z.object({
      valid: z.boolean(),
      records: count,
      executions: count,
      firstBrokenAt: z.object({ execution: z.string(), n: z.int() }).optional(),
      reason: z.string().optional(),
    }),
    anchor: z
      .object({ id: z.string(), at: instant, included: z.boolean().describe("the policy's chain heads are proven in the anchor's Merkle root"), reason: z.string().optional() })
      .optional()
      .describe('the latest anchor covering the policy (absent: never anchored)'),
  })
  .meta({ id: 'HistoryVerification' });

export const auditEventPage = z
  .object({
    events: z.array(
      z.object({ policyId: z.string(), seq: z.int(), at: instant, type: z.string(), actor, agentId: z.string(), branchId: z.string(), data: eventData, hash: z.string() }),
    ),
    nextCursor,
  })
  .meta({ id: 'AuditEventPage' });

export const accessLogPage = z
  .object({
    records: z.array(
      z.object({
        id: z.string(),
        at: instant,
        role: z.string(),
        subject: z.string().optional(),
        action: z.string().describe('history, history-verify, event-search, access-log, report:…'),
        policyId: z.string().optional(),
        filters: z.record(z.string(), z.string()).optional(),
      }),
    ),
    nextCursor,
  })
  .meta({ id: 'AccessLogPage' });

export const falseContactReport = z
  .object({
    quarter: z.string(),
    from: instant,
    to: instant,
    closed: z.boolean().describe('false while the quarter is still running'),
    agents: z.array(
      z.object({
        agentId: z.string(),
        count,
        policies: z.array(
          z.object({
            policyId: z.string(),
            branchId: z.string(),
            kinds: z.array(z.enum(['AGENT_OR_BRANCH_PHONE_AS_CUSTOMER', 'WRONG_PHONE_AT_MANUAL_VISIT'])),
            firstFoundAt: instant,
            findings: count,
          }),
        ),
      }),
    ),
    totals: z.object({ agents: count, policies: count, findings: count }),
  })
  .meta({ id: 'FalseContactReport' });

const ratio = z.object({ count, of: count, rate: z.number().min(0).max(1).nullable().describe('count / of, 4 decimals; null when `of` is 0') });

export const qualityReport = z
  .object({
    branchId: z.string(),
    from: instant,
    to: instant,
    agents: z.array(
      z.object({
        agentId: z.string(),
        policiesRegistered: count,
        firstCallbackPass: ratio,
        overallPass: ratio,
        receiptOnTime: ratio,
        lateReceipts: count,
        receiptsNeverReturned: count,
        holds: count,
        forfeits: count,
        findings: count,
        falseInformation: count,
      }),
    ),
  })
  .meta({ id: 'QualityReport' });

const countAndAmount = z.object({ count, amount: money });
const settlementTotals = z.object({ lines: count, paid: countAndAmount, deferred: countAndAmount, forfeited: countAndAmount });

export const settlementRun = z
  .object({
    month,
    status: z.enum(['QUEUED', 'RUNNING', 'COMPLETED']).describe('QUEUED: waits for the earlier months it settles first, in order'),
    attempt: z.int().min(0).describe('0 while queued; each (re)start is a new attempt'),
    startedAt: instant,
    trigger: z.string(),
    completedAt: instant.optional(),
    totals: settlementTotals.optional(),
    started: z.boolean().describe('whether this call started an execution'),
    catchUp: z.array(month).optional().describe('earlier months that never ran, queued to settle first, oldest first'),
  })
  .meta({ id: 'SettlementRun' });

export const settlementStatement = z
  .object({
    month,
    status: z.enum(['QUEUED', 'RUNNING', 'COMPLETED']).describe('QUEUED: waits for earlier months; RUNNING: lines so far'),
    attempt: z.int().min(0),
    startedAt: instant,
    completedAt: instant.optional(),
    agents: z.array(
      z.object({
        agentId: z.string(),
        lines: z.array(
          z.object({
            policyId: z.string(),
            branchId: z.string(),
            decision: z.string().describe('PAY, DEFER or FORFEIT'),
            reason: z.string().optional(),
            reasons: z.array(z.string()).optional(),
            gross: money,
            deductions: z.array(deduction),
            net: money,
          }),
        ),
        totalNet: money,
      }),
    ),
    totalNet: money,
    totals: settlementTotals,
  })
  .meta({ id: 'SettlementStatement' });

const anchorSummary = z.object({
  id: z.string().describe('sequence number, 10 digits'),
  at: instant,
  root: z.string().describe('sha-256 Merkle root of the anchored chain heads (hex)'),
  leaves: count.describe('chain heads anchored'),
  previousId: z.string().optional().describe('the anchor before (its root is in the archived object)'),
});

export const anchorRun = anchorSummary.extend({ created: z.boolean().describe('false: nothing changed since this, the latest anchor') }).meta({ id: 'AnchorRun' });

export const noAnchor = z.object({ created: z.literal(false), message: z.string() }).meta({ id: 'NoAnchor' });

export const anchorPage = z.object({ anchors: z.array(anchorSummary), nextCursor }).meta({ id: 'AnchorPage' });

export const accessRequestCreated = z.object({ requestId: z.string() }).meta({ id: 'AccessRequestCreated' });

export const accessDecision = z
  .object({
    requestId: z.string(),
    approve: z.boolean(),
    validUntil: instant.optional(),
    decidedAt: instant,
    decider: z.object({ role: z.string(), subject: z.string().optional() }),
    alreadyDecided: z.boolean().describe('true: the request had been decided before; this is that decision'),
  })
  .meta({ id: 'AccessDecision' });

export const archivedPolicy = z
  .object({
    policyId: z.string(),
    exportedAt: instant,
    anchor: z.object({ id: z.string(), at: instant, root: z.string() }),
    verified: z.boolean().describe('both chains recompute and the final heads are proven in the anchor'),
    events: count,
    workflowSteps: count,
    grant: z.object({ requestId: z.string(), validUntil: instant }),
    timeline: policyHistory.shape.timeline,
  })
  .meta({ id: 'ArchivedPolicy' });
