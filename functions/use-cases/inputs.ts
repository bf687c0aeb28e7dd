import * as z from 'zod';
import { isValidTimeZone } from '../domain/calendar.js';
import { PHONE_PATTERN } from '../domain/contact-rule.js';
import { QUARTER_PATTERN } from '../domain/reporting-period.js';
import { FAILURE_REASONS } from '../domain/failure-reasons.js';
import { MONEY_PATTERN } from '../domain/money.js';
import { RULE_SET_NAMES } from '../domain/rule-set.js';
import { CONFIRMATION_ANSWERS, CONFIRMATION_POINTS, PAYMENT_PLANS } from '../domain/regulatory-callback.js';
import { ROLES } from './caller.js';
import { CLAIMABLE_INBOX_KINDS, INBOX_KINDS } from '../domain/inbox-sla.js';

/** Request bodies of docs/api.md, validated once at the edge; use cases receive these types. */
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, _ or -');
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset' });
const date = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
const phone = z.string().regex(PHONE_PATTERN, 'must be a phone number');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const findings = z.strictObject({ proxySignature: z.boolean(), misleading: z.boolean() });
const answer = z.enum(CONFIRMATION_ANSWERS, { message: `must be one of ${CONFIRMATION_ANSWERS.join(', ')}` });
/** docs/rules.md §8: the art. 15 points; a point left out was not asked. */
const confirmations = z.strictObject(Object.fromEntries(CONFIRMATION_POINTS.map((p) => [p, answer.optional()])) as Record<(typeof CONFIRMATION_POINTS)[number], z.ZodOptional<typeof answer>>);

export const policyIdParam = id;
export const requestIdParam = id;

export const registerPolicySchema = z.strictObject({
  policyId: id,
  productCode: text(32),
  branchId: id,
  printedAt: instant,
  effectiveAt: date,
  agent: z.strictObject({ agentId: id, name: text(100), phone, email: z.email('must be an e-mail address').optional() }),
  policyholder: z.strictObject({ name: text(100), phone, address: text(300).optional() }),
  commission: z.strictObject({ amount: z.string().regex(MONEY_PATTERN, 'must be a decimal string with at most 2 decimals, e.g. "1200.00"') }),
  ruleSet: z.enum(RULE_SET_NAMES as [string, ...string[]], { message: `must be one of ${RULE_SET_NAMES.join(', ')}` }).optional(),
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone, e.g. Asia/Shanghai').optional(),
  paymentPlan: z.enum(PAYMENT_PLANS, { message: `must be one of ${PAYMENT_PLANS.join(', ')}` }).optional(),
});
export type RegisterPolicyInput = z.infer<typeof registerPolicySchema>;

export const callbackAttemptSchema = z
  .strictObject({
    attemptId: id,
    round: z.int().min(1).max(2),
    calledAt: instant,
    reached: z.boolean(),
    reason: z.enum(FAILURE_REASONS as [string, ...string[]]).optional(),
    findings: findings.optional(),
    operatorId: id,
    confirmations: confirmations.optional(),
    // An opaque reference, never free text: it is shown in every channel unmasked (docs/privacy.md).
    recordingRef: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/, 'must be an opaque reference: 1-200 characters of A-Z, a-z, 0-9, _ . : / - (no spaces)').optional(),
    durationSeconds: z.int('must be an integer').min(0).max(86_400).optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.reached && !value.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when reached is false' });
    if (value.reached && value.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'must be absent when reached is true' });
    if (!value.reached && value.findings) ctx.addIssue({ code: 'custom', path: ['findings'], message: 'only a reached customer can report findings' });
    // An unreached call may say only that the person who answered was not the policyholder.
    if (!value.reached && value.confirmations) {
      for (const p of CONFIRMATION_POINTS) {
        const a = value.confirmations[p];
        if (p === 'identity' ? a === 'YES' : a !== undefined && a !== 'NOT_ASKED') {
          ctx.addIssue({ code: 'custom', path: ['confirmations', p], message: 'only a reached policyholder can confirm a point' });
        }
      }
    }
    // The person who answered is not the policyholder: what they report is no finding about this sale.
    if (value.confirmations?.identity === 'NO' && (value.findings?.proxySignature || value.findings?.misleading)) {
      ctx.addIssue({ code: 'custom', path: ['findings'], message: 'must not report findings when confirmations.identity is NO (the policyholder was not reached)' });
    }
  });
export type CallbackAttemptInput = z.infer<typeof callbackAttemptSchema>;

export const contactUpdateSchema = z.union([
  z.strictObject({ confirm: z.literal(true) }),
  z.strictObject({ phone, address: text(300).optional() }),
], { message: 'must be {"confirm": true} or {"phone": "...", "address"?: "..."}' });
export type ContactUpdateInput = z.infer<typeof contactUpdateSchema>;

export const specialRequestSchema = z
  .strictObject({ type: z.enum(['EARLY', 'EXEMPT']), reason: text(500), signedConfirmationRef: text(200).optional() })
  .superRefine((value, ctx) => {
    if (value.type === 'EXEMPT' && !value.signedConfirmationRef) {
      ctx.addIssue({ code: 'custom', path: ['signedConfirmationRef'], message: 'is required for an exemption (the signed callback confirmation)' });
    }
  });
export type SpecialRequestInput = z.infer<typeof specialRequestSchema>;

export const specialRequestDecisionSchema = z.strictObject({ approve: z.boolean(), note: text(500).optional() });
export type SpecialRequestDecisionInput = z.infer<typeof specialRequestDecisionSchema>;

export const manualVisitSchema = z.strictObject({
  visitedAt: instant,
  success: z.boolean(),
  phoneWrongOrOutOfUse: z.boolean(),
  findings: findings.optional(),
  visitorId: id,
});
export type ManualVisitInput = z.infer<typeof manualVisitSchema>;

export const reviewDecisionSchema = z.strictObject({ decision: z.enum(['DISMISS', 'UPHOLD']), note: text(1000) });
export type ReviewDecisionInput = z.infer<typeof reviewDecisionSchema>;

export const receiptSchema = z
  .strictObject({ returnedAt: instant, signedAt: instant.optional() })
  .superRefine((value, ctx) => {
    if (value.signedAt && new Date(value.signedAt) > new Date(value.returnedAt)) {
      ctx.addIssue({ code: 'custom', path: ['signedAt'], message: 'must not be after returnedAt (a receipt is signed before it is returned)' });
    }
  });
export type ReceiptInput = z.infer<typeof receiptSchema>;

export const cancellationSchema = z.strictObject({ cancelledAt: instant, reason: text(500) });
export type CancellationInput = z.infer<typeof cancellationSchema>;

export const dueCallbacksQuerySchema = z.strictObject({
  limit: z.coerce.number().int('must be an integer').min(1).max(1000).default(100),
});

export const workQueueQuerySchema = z.strictObject({
  limit: z.coerce.number().int('must be an integer').min(1).max(1000).default(100),
  branchId: id.optional(),
});

/** Audit reads cover a bounded period: `from` inclusive, `to` exclusive, at most 366 days (a year of month partitions). */
const MAX_PERIOD_DAYS = 366;
const period = { from: instant, to: instant };
function periodRule(value: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const from = new Date(value.from).getTime();
  const to = new Date(value.to).getTime();
  if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (to - from > MAX_PERIOD_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_PERIOD_DAYS} days after from` });
}
const pageLimit = z.coerce.number().int('must be an integer').min(1).max(500).default(100);
const cursor = z.string().min(1).max(2048).optional();

export const auditSearchQuerySchema = z
  .strictObject({
    ...period,
    agentId: id.optional(),
    branchId: id.optional(),
    type: z.string().regex(/^[A-Z][A-Za-z]{2,63}$/, 'must be an event type, e.g. CallbackAttemptRecorded').optional(),
    limit: pageLimit,
    cursor,
  })
  .superRefine(periodRule);

export const accessLogQuerySchema = z.strictObject({ ...period, limit: pageLimit, cursor }).superRefine(periodRule);

export const falseContactQuerySchema = z.strictObject({ quarter: z.string().regex(QUARTER_PATTERN, 'must be YYYY-Qn, e.g. 2026-Q1') });

export const integrityQuerySchema = z.strictObject({ quarter: z.string().regex(QUARTER_PATTERN, 'must be YYYY-Qn, e.g. 2026-Q1'), branchId: id.optional() });

export const qualityQuerySchema = z.strictObject({ branchId: id, ...period }).superRefine(periodRule);

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM, e.g. "2026-12"');
export const monthParam = month;

export const runSettlementSchema = z.strictObject({ month });
export type RunSettlementInput = z.infer<typeof runSettlementSchema>;

export const settlementQuerySchema = z.strictObject({ agentId: id.optional() });

export const regulatoryEvidenceQuerySchema = falseContactQuerySchema;

export const coolingOffAtRiskQuerySchema = z.strictObject({
  withinDays: z.coerce.number().int('must be an integer').min(0).max(366).default(3),
});

/** Staff directory (docs/api.md, Staff and scope). */
export const staffIdParam = id;
const role = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });
export const staffSchema = z
  .strictObject({
    name: text(100),
    email: z.email('must be an e-mail address').max(254),
    roles: z.array(role).min(1, 'must name at least one role').max(ROLES.length).refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
    branchId: id.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.roles.includes('branch') && value.branchId === undefined) ctx.addIssue({ code: 'custom', path: ['branchId'], message: 'is required for branch staff' });
  });
export type StaffInput = z.infer<typeof staffSchema>;
export const staffListQuerySchema = z.strictObject({
  branchId: id.optional(),
  role: role.optional(),
  limit: z.coerce.number().int('must be an integer').min(1).max(500).default(100),
  cursor: id.optional(),
});

/** Work inboxes (docs/api.md, Work inboxes). */
const inboxKind = z.enum(INBOX_KINDS, { message: `must be one of ${INBOX_KINDS.join(', ')}` });
const claimableKind = z.enum(CLAIMABLE_INBOX_KINDS, { message: `must be one of ${CLAIMABLE_INBOX_KINDS.join(', ')}` });

export const inboxQuerySchema = z.strictObject({
  kind: inboxKind.optional(),
  branchId: id.optional(),
  limit: z.coerce.number().int('must be an integer').min(1).max(1000).default(100),
  cursor,
});

export const inboxItemParamsSchema = z.strictObject({
  kind: claimableKind,
  // A round's id is its policy's with `-R<n>` appended.
  itemId: z.string().regex(/^[A-Za-z0-9_-]{1,70}$/, 'must be 1-70 characters of A-Z, a-z, 0-9, _ or -'),
});

/** `GET /v1/audit/anchors`: newest first; the cursor is the id of the last anchor served. */
export const anchorListQuerySchema = z.strictObject({
  limit: z.coerce.number().int('must be an integer').min(1).max(1000).default(100),
  cursor: z.string().regex(/^\d{10}$/, 'must be an anchor id (10 digits)').optional(),
});

/** `POST /v1/audit/access-requests`: exactly one scope, a period of printing dates, a reason. */
export const accessRequestSchema = z.strictObject({
  scope: z.union([
    z.strictObject({ policyIds: z.array(id).min(1, 'must name at least one policy').max(100, 'must name at most 100 policies') }),
    z.strictObject({ agentId: id }),
    z.strictObject({ branchId: id }),
  ], { error: 'scope must hold exactly one of policyIds, agentId or branchId' }),
  from: instant,
  to: instant,
  reason: text(500),
}).refine((b) => Date.parse(b.from) < Date.parse(b.to), { path: ['to'], message: 'to must be later than from' });

export const accessDecisionSchema = z.strictObject({ approve: z.boolean(), validUntil: instant.optional() });

export const accessRequestParams = z.strictObject({ requestId: id });
