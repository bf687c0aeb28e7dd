import * as z from 'zod';
import { FAILURE_REASONS } from '../domain/failure-reasons.js';
import { INTEGRITY_CASES } from '../domain/integrity-cases.js';
import { STAGES } from '../lifecycle/stage.js';
import { CONFIRMATION_ANSWERS, CONFIRMATION_POINTS, PAYMENT_PLANS } from '../domain/regulatory-callback.js';

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
const confirmations = z
  .object(Object.fromEntries(CONFIRMATION_POINTS.map((p) => [p, z.enum(CONFIRMATION_ANSWERS)])) as Record<(typeof CONFIRMATION_POINTS)[number], z.ZodEnum<{ YES: 'YES'; NO: 'NO'; NOT_ASKED: 'NOT_ASKED' }>>)
  .describe('the art. 15 points as recorded (docs/rules.md §8); NOT_ASKED for a point the call did not ask');
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
      confirmations: confirmations.optional().describe('every reached call (v1 clients: all NOT_ASKED), and an unreached one that sent them'),
      recordingRef: z.string().optional(),
      durationSeconds: count.optional(),
    }),
  ),
});

const coolingOff = z
  .object({
    startsAt: instant,
    endsAt: instant.describe('end of the last local day of the period'),
    basis: z.enum(['RECEIPT_SIGNED', 'PRINTED']).describe('RECEIPT_SIGNED once the receipt is recorded (its signedAt, else returnedAt); PRINTED until then'),
    days: z.int().min(1),
    callbackPassedAt: instant.optional(),
    callbackPassedWithin: z.boolean().nullable().describe('true: passed inside the period; false: passed late, or the period or the callback track ended without a pass; null: not yet known'),
    atRisk: z.boolean().describe('the period still runs and the callback has not passed yet'),
  })
  .describe('the cooling-off period (犹豫期) and whether the callback passed inside it (docs/rules.md §8)');

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
    paymentPlan: z.enum(PAYMENT_PLANS).describe('as registered, else the product default of the rule set'),
    confirmationRules: z.object({
      enforced: z.boolean().describe('true: a reached call missing a mandatory point (or its recording) is refused with 400; false: accepted and reported'),
      mandatory: z.array(z.enum(CONFIRMATION_POINTS)).describe('the art. 15 points a reached call must confirm for this product and plan, in art. 15 order'),
    }).describe("the policy's rule set on the regulatory callback"),
    coolingOff,
    receipt: z.object({ status: z.enum(['PENDING', 'RETURNED']), returnedAt: instant.optional(), signedAt: instant.optional(), late: z.boolean(), givenUp: z.boolean() }),
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
        integrityScore: z.number().min(0).describe('integrity score of `integrityQuarter` (docs/rules.md §9): 100 minus the points, at most one decimal'),
      }),
    ),
    integrityQuarter: z.string().describe('the quarter the period ends in (or the running one): the quarter of `integrityScore`'),
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

const integrityCase = z.enum(INTEGRITY_CASES);

export const integrityReport = z
  .object({
    quarter: z.string(),
    from: instant,
    to: instant,
    closed: z.boolean().describe('false while the quarter is still running: points may still come, the status is provisional'),
    branchId: z.string().optional().describe('absent: every branch'),
    table: z.object({
      startScore: z.number(),
      restrictedBelow: z.number(),
      dismissalAfterConsecutive: z.number().int(),
      pointsPerCase: z.record(z.string(), z.number()),
    }).describe('the points table and thresholds the scores were computed with'),
    agents: z.array(
      z.object({
        agentId: z.string(),
        branchId: z.string(),
        points: z.array(z.object({ case: integrityCase, policyId: z.string(), at: instant, points: z.number().min(0) })),
        totalPoints: z.number().min(0),
        score: z.number().min(0).describe('startScore minus totalPoints (1 point = 1 score point), at least 0'),
        status: z.enum(['OK', 'RESTRICTED', 'DISMISSAL_PROPOSED']),
        previousScore: z.number().min(0).optional().describe("the previous quarter's score"),
      }),
    ),
  })
  .meta({ id: 'IntegrityReport' });

export const regulatoryEvidenceReport = z
  .object({
    quarter: z.string(),
    from: instant,
    to: instant,
    closed: z.boolean().describe('false while the quarter runs'),
    totals: z.object({ reachedCalls: count, lacking: count }),
    calls: z.array(z.object({
      policyId: z.string(), agentId: z.string(), branchId: z.string(), attemptId: z.string(), round: z.int().min(1), calledAt: instant, operatorId: z.string(),
      missing: z.array(z.string()).describe('confirmations.<point> not asked, recordingRef, durationSeconds'),
    })),
  })
  .meta({ id: 'RegulatoryEvidenceReport' });

export const coolingOffAtRiskReport = z
  .object({
    asOf: instant,
    withinDays: count,
    count,
    policies: z.array(z.object({
      policyId: z.string(), agentId: z.string(), branchId: z.string(),
      waitingIn: z.enum(['WAITING', 'DIAL', 'CONTACT', 'VISIT', 'REVIEW']).describe('the work queue the lifecycle waits in'),
      coolingOffEndsAt: instant,
      hoursLeft: count,
    })),
  })
  .meta({ id: 'CoolingOffAtRiskReport' });

const staffFields = {
  name: z.string().describe('shown to admin and auditor; masked for a manager'),
  email: z.string().describe('shown to admin and auditor; "***" for a manager'),
  roles: z.array(z.string()),
  branchId: z.string().optional().describe('the branch a `branch` or `manager` subject is held to; none: head office'),
};

export const staffEntry = z
  .object({ subjectId: z.string(), ...staffFields, version: z.int().min(1).describe('number of recorded changes'), updatedAt: instant })
  .meta({ id: 'StaffEntry' });

export const staffPage = z
  .object({ staff: z.array(staffEntry), nextCursor })
  .meta({ id: 'StaffPage' });

const staffState = z.object(staffFields);

export const staffHistory = z
  .object({
    subjectId: z.string(),
    changes: z.array(z.object({
      seq: z.int().min(1), at: instant, actor: z.object({ role: z.string(), subject: z.string().optional() }),
      before: staffState.nullable().describe('null for the change that created the entry'), after: staffState, prevHash: z.string(), hash: z.string(),
    })),
    verification: z.object({
      valid: z.boolean(), changes: count, firstBrokenAt: z.int().optional().describe('the first altered, missing or unlinked change'), reason: z.string().optional(),
    }),
  })
  .meta({ id: 'StaffHistory' });

const claimableKind = z.enum(['SPECIAL_REQUEST', 'MANUAL_VISIT', 'REVIEW', 'CALLBACK_ROUND']);
const inboxKind = z.enum([...claimableKind.options, 'CONTACT_WINDOW', 'RECEIPT_MISSING']);

export const inboxPage = z
  .object({
    items: z.array(z.object({
      kind: inboxKind,
      itemId: z.string().describe('the request id, the policy id (visit, review, contact window, receipt), or `<policyId>-R<round>`'),
      policyId: z.string(),
      branchId: z.string(),
      agentId: z.string(),
      openedAt: instant,
      dueAt: instant.describe('decide by (request), escalation date (visit, review), round deadline (callback round), window closes (contact window), late from (receipt)'),
      dueSoon: z.boolean(),
      overdue: z.boolean(),
      claimedBy: z.string().optional(),
      claimedAt: instant.optional(),
      summary: z.string().describe('codes and numbers only: never customer data or free text'),
      type: z.enum(['EARLY', 'EXEMPT']).optional().describe('special requests'),
      filedBy: z.string().optional().describe('special requests'),
      filedAt: instant.optional().describe('special requests'),
      escalations: count.optional().describe('special requests: reminders sent'),
      round: z.int().min(1).optional().describe('callback rounds'),
      attemptsSoFar: count.optional().describe('callback rounds'),
      givenUpAt: instant.optional().describe('missing receipts: when it counts as never returned (the commission deferred for good)'),
      nextSettlementCutoff: instant.optional().describe('missing receipts: the next settlement cutoff; not back by then, that settlement defers the commission'),
    })),
    nextCursor,
  })
  .meta({ id: 'InboxPage' });

export const inboxClaim = z
  .object({ kind: claimableKind, itemId: z.string(), claimedBy: z.string(), claimedAt: instant })
  .meta({ id: 'InboxClaim' });

export const inboxRelease = z
  .object({ kind: claimableKind, itemId: z.string(), released: z.boolean(), claimedBy: z.string().optional().describe('whose claim was released') })
  .meta({ id: 'InboxRelease' });

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
