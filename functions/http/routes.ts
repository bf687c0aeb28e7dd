import * as z from 'zod';
import type { Role } from '../use-cases/caller.js';
import { listAccessLog } from '../use-cases/audit/access-log.js';
import { getPolicyHistory, verifyPolicyHistory } from '../use-cases/audit/audit-history.js';
import { searchAuditEvents } from '../use-cases/audit/audit-search.js';
import { listAnchors, runAnchor, toView } from '../use-cases/audit/anchor-history.js';
import { decideArchiveAccess, readArchivedPolicy, requestArchiveAccess } from '../use-cases/audit/archive-access.js';
import { cancelPolicy } from '../use-cases/policies/cancel-policy.js';
import { decideReview } from '../use-cases/visits-and-reviews/decide-review.js';
import { decideSpecialRequest } from '../use-cases/callbacks/decide-special-request.js';
import { fileSpecialRequest } from '../use-cases/callbacks/file-special-request.js';
import { getPolicy, listDueCallbacks, listOpenWork } from '../use-cases/policies/read-policies.js';
import { readStatement, statementCsv } from '../use-cases/settlement/read-settlement.js';
import { recordCallbackAttempt } from '../use-cases/callbacks/record-callback-attempt.js';
import { recordManualVisit } from '../use-cases/visits-and-reviews/record-manual-visit.js';
import { recordReceipt } from '../use-cases/policies/record-receipt.js';
import { registerPolicy } from '../use-cases/policies/register-policy.js';
import { getFalseContactReport, getQualityReport } from '../use-cases/reports/reports.js';
import { getIntegrityReport } from '../use-cases/reports/integrity-report.js';
import { startSettlement } from '../use-cases/settlement/start-settlement.js';
import { updateContact } from '../use-cases/callbacks/update-contact.js';
import { getCoolingOffAtRisk, getRegulatoryEvidenceReport } from '../use-cases/reports/regulatory-reports.js';
import { assertNotHeldToBranch, branchScopeOf } from '../use-cases/scope.js';
import { putStaff } from '../use-cases/staff/put-staff.js';
import { getStaff, getStaffHistory, listStaff } from '../use-cases/staff/read-staff.js';
import { claimInboxItem, releaseInboxItem } from '../use-cases/inbox/claim-inbox-item.js';
import { INBOX_READERS } from '../use-cases/inbox/inbox-access.js';
import { listInbox } from '../use-cases/inbox/list-inbox.js';
import { type AnyRoute, defineRoute } from './route-definition.js';
import * as res from './response-schemas.js';
import * as req from '../use-cases/inputs.js';

/**
 * The HTTP API (docs/api.md), each endpoint declared once: method, path, roles, schemas,
 * media types, what its Lambda may touch, and the use case it runs. The Lambda wrapper
 * (http-handler.ts), IAM (infra/constructs/http-access.ts, api.ts), API Gateway's request
 * models, the local server and the OpenAPI document (`npm run openapi`) all read it.
 */

const READERS: readonly Role[] = ['auditor', 'manager', 'agent', 'callcentre', 'branch', 'compliance'];
/** The audit trail: auditors, the managers and compliance who answer for it, an agent for own policies. */
const HISTORY_READERS: readonly Role[] = ['auditor', 'manager', 'compliance', 'agent'];
const AUDIT_SEARCHERS: readonly Role[] = ['auditor', 'compliance', 'manager'];

const policyParams = z.object({ policyId: req.policyIdParam });
const staffParams = z.object({ subjectId: req.staffIdParam });
/** The directory: administrators keep it, auditors trace people through it, managers see their staff. */
const STAFF_READERS: readonly Role[] = ['admin', 'auditor', 'manager'];
const view = (description: string) => ({ 200: { schema: res.policyView, description } });
const asCsv = (text: string, filename: string) => ({ status: 200 as const, text, filename });

const TABLE = [
  defineRoute({
    handler: 'register-policy',
    method: 'POST',
    path: '/v1/policies',
    summary: 'Register a printed policy and start its lifecycle',
    description: 'Idempotent on `policyId`: the same body again answers 200 with the same view; another body for the id is 409.',
    roles: ['upstream'],
    access: { table: 'RW', startsLifecycle: true },
    body: req.registerPolicySchema,
    responses: {
      201: { schema: res.policyView, description: 'registered; the lifecycle started' },
      200: { schema: res.policyView, description: 'already registered with this very body' },
    },
    run: async ({ body, caller }, deps) => {
      const { created, view } = await registerPolicy(deps, body, caller);
      return created ? { status: 201, body: view } : { status: 200, body: view };
    },
  }),
  defineRoute({
    handler: 'record-receipt',
    method: 'POST',
    path: '/v1/policies/{policyId}/receipt',
    summary: 'Record the signed receipt as returned',
    roles: ['upstream'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.receiptSchema,
    responses: view('the policy with its receipt recorded'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await recordReceipt(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'cancel-policy',
    method: 'POST',
    path: '/v1/policies/{policyId}/cancellation',
    summary: 'Record a surrender or cancellation; every open wait ends',
    roles: ['upstream'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.cancellationSchema,
    responses: view('the cancelled policy'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await cancelPolicy(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'list-due-callbacks',
    method: 'GET',
    path: '/v1/callbacks/due',
    summary: 'The dialling queue: open rounds whose next call may be made now',
    roles: ['callcentre'],
    access: { table: 'R' },
    query: req.dueCallbacksQuerySchema,
    responses: { 200: { schema: res.dueCallbacks, description: 'due calls, earliest first' } },
    // Dialling items always carry round, attempts and phone (lifecycle/work-item.ts); the port types them optional.
    run: async ({ query, caller }, deps) => ({ status: 200, body: (await listDueCallbacks(deps, caller, query.limit)) as z.input<typeof res.dueCallbacks> }),
  }),
  defineRoute({
    handler: 'record-callback-attempt',
    method: 'POST',
    path: '/v1/policies/{policyId}/callback-attempts',
    summary: 'Record one call of a callback round',
    description: 'Idempotent on `attemptId`. Calls outside calling hours or too soon after a failed call are 422.',
    roles: ['callcentre'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.callbackAttemptSchema,
    responses: { 200: { schema: res.attemptResult, description: 'the round after this call' } },
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await recordCallbackAttempt(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'update-contact',
    method: 'PUT',
    path: '/v1/policies/{policyId}/contact',
    summary: "Confirm or update the customer's contact during the contact-update window",
    roles: ['agent'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.contactUpdateSchema,
    responses: view('the policy with the window answered'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await updateContact(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'file-special-request',
    method: 'POST',
    path: '/v1/policies/{policyId}/special-requests',
    summary: 'File an early-callback or exemption request',
    description: 'The branch is e-mailed a notice of the request (ids and dates only).',
    roles: ['agent'],
    access: { table: 'RW', completesTasks: true, sendsMail: true },
    params: policyParams,
    body: req.specialRequestSchema,
    responses: { 201: { schema: res.specialRequestFiled, description: 'filed (or the same pending request again)' } },
    run: async ({ params, body, caller }, deps) => ({ status: 201, body: await fileSpecialRequest(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'decide-special-request',
    method: 'POST',
    path: '/v1/special-requests/{requestId}/decision',
    summary: 'Approve or reject a special request',
    roles: ['branch'],
    access: { table: 'RW', completesTasks: true },
    params: z.object({ requestId: req.requestIdParam }),
    body: req.specialRequestDecisionSchema,
    responses: view('the policy after the decision'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await decideSpecialRequest(deps, params.requestId, body, caller) }),
  }),
  defineRoute({
    handler: 'list-open-manual-visits',
    method: 'GET',
    path: '/v1/manual-visits/open',
    summary: 'Manual visits waiting, oldest due first',
    roles: ['branch', 'manager'],
    access: { table: 'R' },
    query: req.workQueueQuerySchema,
    responses: { 200: { schema: res.workQueue, description: 'open manual visits' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await listOpenWork(deps, caller, 'VISIT', query.limit, query.branchId) }),
  }),
  defineRoute({
    handler: 'record-manual-visit',
    method: 'POST',
    path: '/v1/policies/{policyId}/manual-visit',
    summary: 'Report the manual visit ordered after a failed second callback',
    roles: ['branch'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.manualVisitSchema,
    responses: view('the policy with the visit recorded'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await recordManualVisit(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'list-open-reviews',
    method: 'GET',
    path: '/v1/reviews/open',
    summary: 'Compliance reviews waiting, oldest due first',
    roles: ['compliance', 'manager'],
    access: { table: 'R' },
    query: req.workQueueQuerySchema,
    responses: { 200: { schema: res.workQueue, description: 'open compliance reviews' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await listOpenWork(deps, caller, 'REVIEW', query.limit, query.branchId) }),
  }),
  defineRoute({
    handler: 'decide-review',
    method: 'POST',
    path: '/v1/policies/{policyId}/review',
    summary: 'Dismiss findings (pass) or uphold them (forfeit)',
    roles: ['compliance'],
    access: { table: 'RW', completesTasks: true },
    params: policyParams,
    body: req.reviewDecisionSchema,
    responses: view('the policy after the review'),
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await decideReview(deps, params.policyId, body, caller) }),
  }),
  defineRoute({
    handler: 'get-policy',
    method: 'GET',
    path: '/v1/policies/{policyId}',
    summary: 'The current view of a policy, masked for the caller',
    roles: READERS,
    access: { table: 'R' },
    params: policyParams,
    responses: view('the policy view'),
    run: async ({ params, caller }, deps) => ({ status: 200, body: await getPolicy(deps, params.policyId, caller) }),
  }),
  defineRoute({
    handler: 'get-policy-history',
    method: 'GET',
    path: '/v1/policies/{policyId}/history',
    summary: 'Every business event and workflow step of a policy, hash-linked',
    description: 'The read is recorded in the access log first.',
    roles: HISTORY_READERS,
    access: { table: 'R', recordsReads: true },
    params: policyParams,
    responses: { 200: { schema: res.policyHistory, description: 'the timeline' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await getPolicyHistory(deps, params.policyId, caller) }),
  }),
  defineRoute({
    handler: 'verify-policy-history',
    method: 'GET',
    path: '/v1/policies/{policyId}/history/verify',
    summary: 'Recompute both hash chains and name the first broken link',
    roles: HISTORY_READERS,
    access: { table: 'R', recordsReads: true, archive: 'R' },
    params: policyParams,
    responses: { 200: { schema: res.historyVerification, description: 'the verdict' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await verifyPolicyHistory(deps, params.policyId, caller) }),
  }),
  defineRoute({
    handler: 'search-audit-events',
    method: 'GET',
    path: '/v1/audit/events',
    summary: 'Search events across policies in [from, to), oldest first, paged',
    roles: AUDIT_SEARCHERS,
    access: { table: 'R', recordsReads: true },
    query: req.auditSearchQuerySchema,
    responses: { 200: { schema: res.auditEventPage, description: 'a page of events' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await searchAuditEvents(deps, caller, query) }),
  }),
  defineRoute({
    handler: 'list-access-log',
    method: 'GET',
    path: '/v1/audit/access-log',
    summary: 'Who read what of the audit trail, oldest first, paged',
    roles: ['auditor'],
    access: { table: 'R', recordsReads: true },
    query: req.accessLogQuerySchema,
    responses: { 200: { schema: res.accessLogPage, description: 'a page of access records' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await listAccessLog(deps, caller, query) }),
  }),
  defineRoute({
    handler: 'get-false-contact-report',
    method: 'GET',
    path: '/v1/reports/false-contact',
    summary: 'False customer contact information found in a quarter, per agent',
    roles: ['manager', 'compliance', 'auditor'],
    access: { table: 'R', recordsReads: true },
    query: req.falseContactQuerySchema,
    produces: ['application/json', 'text/csv'],
    responses: { 200: { schema: res.falseContactReport, description: 'the report (CSV: one line per agent and policy)' } },
    run: async ({ query, caller, mediaType }, deps) => {
      const report = await getFalseContactReport(deps, caller, query.quarter, mediaType === 'text/csv' ? 'csv' : 'json');
      return typeof report === 'string' ? asCsv(report, `false-contact-${query.quarter}.csv`) : { status: 200, body: report };
    },
  }),
  defineRoute({
    handler: 'get-quality-report',
    method: 'GET',
    path: '/v1/reports/quality',
    summary: "Agent quality figures of a branch's events in [from, to)",
    roles: ['manager', 'compliance', 'auditor', 'branch'],
    access: { table: 'R', recordsReads: true },
    query: req.qualityQuerySchema,
    responses: { 200: { schema: res.qualityReport, description: 'per agent of the branch' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await getQualityReport(deps, caller, query) }),
  }),
  defineRoute({
    handler: 'run-settlement',
    method: 'POST',
    path: '/v1/settlements',
    summary: "Run a month's settlement now (it also runs by itself on the 20th)",
    roles: ['manager'],
    access: { table: 'RW', startsSettlement: true },
    body: req.runSettlementSchema,
    responses: {
      202: { schema: res.settlementRun, description: 'running, or queued behind the earlier months it settles first (`catchUp`): read the statement later' },
      200: { schema: res.settlementRun, description: 'the month was already settled; nothing changed' },
    },
    run: async ({ body, caller }, deps) => {
      assertNotHeldToBranch(caller, 'running a settlement');
      const { run, started, catchUp } = await startSettlement(deps, body.month, `api:${caller.role}${caller.subject ? `:${caller.subject}` : ''}`);
      const answer = { ...run, started, ...(catchUp.length > 0 ? { catchUp } : {}) };
      return run.status === 'COMPLETED' ? { status: 200, body: answer } : { status: 202, body: answer };
    },
  }),
  defineRoute({
    handler: 'get-settlement',
    method: 'GET',
    path: '/v1/settlements/{month}',
    summary: "A month's settlement statement, per agent (CSV: the payroll export)",
    description: 'The CSV export exists once the run has completed (409 while it runs).',
    moreErrors: [409],
    roles: ['manager', 'auditor'],
    access: { table: 'R' },
    params: z.object({ month: req.monthParam }),
    query: req.settlementQuerySchema,
    produces: ['application/json', 'text/csv'],
    responses: { 200: { schema: res.settlementStatement, description: 'the statement (a running run shows the lines so far)' } },
    run: async ({ params, query, mediaType, caller }, deps) => {
      const branchId = branchScopeOf(caller);
      if (mediaType === 'text/csv') return asCsv(await statementCsv(deps, params.month, query.agentId, branchId), `settlement-${params.month}.csv`);
      return { status: 200, body: await readStatement(deps, params.month, query.agentId, branchId) };
    },
  }),
  defineRoute({
    handler: 'get-integrity-report',
    method: 'GET',
    path: '/v1/reports/integrity',
    summary: "Agents' integrity points, score and status in a quarter (docs/rules.md §9)",
    description: 'Without branchId every branch (head-office roles); branch staff give their branchId; an agent sees its own file only.',
    roles: ['manager', 'compliance', 'auditor', 'branch', 'agent'],
    access: { table: 'R', recordsReads: true },
    query: req.integrityQuerySchema,
    produces: ['application/json', 'text/csv'],
    responses: { 200: { schema: res.integrityReport, description: 'per agent with points in the quarter or the one before (CSV: one line per case)' } },
    run: async ({ query, caller, mediaType }, deps) => {
      const report = await getIntegrityReport(deps, caller, query, mediaType === 'text/csv' ? 'csv' : 'json');
      return typeof report === 'string' ? asCsv(report, `integrity-${query.quarter}.csv`) : { status: 200, body: report };
    },
  }),
  defineRoute({
    handler: 'get-regulatory-evidence-report',
    method: 'GET',
    path: '/v1/reports/regulatory-evidence',
    summary: "The quarter's reached calls lacking the art. 15 evidence their rule set asks for",
    description: 'docs/rules.md §8: mandatory points not asked (NOT_ASKED), or no recording. Ids only, no customer data.',
    roles: ['compliance', 'manager', 'auditor'],
    access: { table: 'R', recordsReads: true },
    query: req.regulatoryEvidenceQuerySchema,
    responses: { 200: { schema: res.regulatoryEvidenceReport, description: 'the calls, oldest first' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await getRegulatoryEvidenceReport(deps, caller, query.quarter) }),
  }),
  defineRoute({
    handler: 'get-cooling-off-at-risk',
    method: 'GET',
    path: '/v1/reports/cooling-off-at-risk',
    summary: 'Policies whose callback has not passed and whose cooling-off period ends within withinDays days',
    description: 'docs/rules.md §8. Ids and dates only, no customer data. `withinDays` defaults to 3.',
    roles: ['callcentre', 'compliance', 'manager', 'auditor'],
    access: { table: 'R', recordsReads: true },
    query: req.coolingOffAtRiskQuerySchema,
    responses: { 200: { schema: res.coolingOffAtRiskReport, description: 'soonest end first' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await getCoolingOffAtRisk(deps, caller, query.withinDays) }),
  }),
  defineRoute({
    handler: 'put-staff',
    method: 'PUT',
    path: '/v1/staff/{subjectId}',
    summary: "Create or change a person's directory entry: roles and branch",
    description: 'Every change is appended to the subject\'s hash-chained change log (who, when, before, after). The same body again changes nothing (200).',
    roles: ['admin'],
    access: { table: 'RW' },
    params: staffParams,
    body: req.staffSchema,
    responses: {
      201: { schema: res.staffEntry, description: 'created' },
      200: { schema: res.staffEntry, description: 'changed, or unchanged when the body is what the entry already says' },
    },
    run: async ({ params, body, caller }, deps) => {
      const { created, entry } = await putStaff(deps, params.subjectId, body, caller);
      return created ? { status: 201, body: entry } : { status: 200, body: entry };
    },
  }),
  defineRoute({
    handler: 'list-staff',
    method: 'GET',
    path: '/v1/staff',
    summary: 'The staff directory in subject order, by branch and role, paged',
    description: "A manager held to a branch lists its own branch's staff.",
    roles: STAFF_READERS,
    access: { table: 'R' },
    query: req.staffListQuerySchema,
    responses: { 200: { schema: res.staffPage, description: 'a page of entries' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await listStaff(deps, caller, query) }),
  }),
  defineRoute({
    handler: 'get-staff',
    method: 'GET',
    path: '/v1/staff/{subjectId}',
    summary: "A person's directory entry",
    roles: STAFF_READERS,
    access: { table: 'R' },
    params: staffParams,
    responses: { 200: { schema: res.staffEntry, description: 'the entry' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await getStaff(deps, params.subjectId, caller) }),
  }),
  defineRoute({
    handler: 'get-staff-history',
    method: 'GET',
    path: '/v1/staff/{subjectId}/history',
    summary: "Every change of a person's entry, hash-linked, with the chain's verdict",
    description: 'The read is recorded in the access log first.',
    roles: ['admin', 'auditor'],
    access: { table: 'R', recordsReads: true },
    params: staffParams,
    responses: { 200: { schema: res.staffHistory, description: 'the change log' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await getStaffHistory(deps, params.subjectId, caller) }),
  }),
  defineRoute({
    handler: 'list-inbox',
    method: 'GET',
    path: '/v1/inbox',
    summary: "The caller's work inbox: open items of the kinds its role works, earliest due first",
    description: 'branch: SPECIAL_REQUEST, MANUAL_VISIT; compliance: REVIEW; callcentre: CALLBACK_ROUND (rounds whose deadline is near); manager and auditor: those four. '
      + 'agent (the subject is the agent id): CONTACT_WINDOW, RECEIPT_MISSING and the SPECIAL_REQUESTs it filed, of its own policies only, never claimed. '
      + 'Branch staff see their own branch only. An entry found behind its log is shown as its log says.',
    roles: INBOX_READERS,
    access: { table: 'R' },
    query: req.inboxQuerySchema,
    responses: { 200: { schema: res.inboxPage, description: 'a page of the inbox' } },
    run: async ({ query, caller }, deps) => ({ status: 200, body: await listInbox(deps, caller, query) }),
  }),
  defineRoute({
    handler: 'claim-inbox-item',
    method: 'POST',
    path: '/v1/inbox/{kind}/{itemId}/claim',
    summary: 'Claim an inbox item for the calling person (one claimer at a time)',
    description: 'The same person again: 200 with the same claim. Another person holds it: 409 ALREADY_CLAIMED. The item is finished: 409 ITEM_CLOSED.',
    roles: ['branch', 'compliance', 'callcentre'],
    access: { table: 'RW' },
    params: req.inboxItemParamsSchema,
    responses: { 200: { schema: res.inboxClaim, description: 'the claim' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await claimInboxItem(deps, caller, params.kind, params.itemId) }),
  }),
  defineRoute({
    handler: 'release-inbox-item',
    method: 'DELETE',
    path: '/v1/inbox/{kind}/{itemId}/claim',
    summary: "Release an inbox item's claim (its claimer, or a manager)",
    roles: ['branch', 'compliance', 'callcentre', 'manager'],
    access: { table: 'RW' },
    params: req.inboxItemParamsSchema,
    responses: { 200: { schema: res.inboxRelease, description: 'released, or nothing was claimed' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await releaseInboxItem(deps, caller, params.kind, params.itemId) }),
  }),
  defineRoute({
    handler: 'create-anchor',
    method: 'POST',
    path: '/v1/audit/anchors',
    summary: 'Anchor now: the heads of every chain changed since the last anchor, as a Merkle root in the archive',
    description: 'The same job runs daily. Nothing changed: 200 with the latest anchor (or `created: false` and a message when there is none yet).',
    roles: ['auditor', 'compliance'],
    access: { table: 'RW', archive: 'RW' },
    responses: {
      201: { schema: res.anchorRun, description: 'a new anchor was written to the archive and recorded' },
      200: { schema: z.union([res.anchorRun, res.noAnchor]), description: 'nothing changed since the latest anchor' },
    },
    run: async (_request, deps) => {
      const result = await runAnchor(deps);
      if (!result.anchor) return { status: 200, body: { created: false as const, message: 'nothing to anchor: no chain has any record yet' } };
      return result.created ? { status: 201, body: { ...toView(result.anchor), created: true } } : { status: 200, body: { ...toView(result.anchor), created: false } };
    },
  }),
  defineRoute({
    handler: 'list-anchors',
    method: 'GET',
    path: '/v1/audit/anchors',
    summary: 'Anchors, newest first, paged',
    roles: ['auditor', 'compliance'],
    access: { table: 'R' },
    query: req.anchorListQuerySchema,
    responses: { 200: { schema: res.anchorPage, description: 'a page of anchors' } },
    run: async ({ query }, deps) => ({ status: 200, body: await listAnchors(deps, query) }),
  }),
  defineRoute({
    handler: 'request-archive-access',
    method: 'POST',
    path: '/v1/audit/access-requests',
    summary: 'Ask to read archived histories: a scope (policies, an agent or a branch), a period of printing dates, a reason',
    roles: ['auditor'],
    access: { table: 'RW' },
    body: req.accessRequestSchema,
    responses: { 201: { schema: res.accessRequestCreated, description: 'the request, awaiting a decision' } },
    run: async ({ body, caller }, deps) => ({ status: 201, body: await requestArchiveAccess(deps, caller, body) }),
  }),
  defineRoute({
    handler: 'decide-archive-access',
    method: 'POST',
    path: '/v1/audit/access-requests/{requestId}/decision',
    summary: 'Approve (until validUntil) or refuse a request to read the archive',
    description: 'Compliance or a head-office manager (of no branch); never the requester (403 `DECIDER_IS_REQUESTER`). A request is decided once.',
    roles: ['compliance', 'manager'],
    access: { table: 'RW' },
    params: req.accessRequestParams,
    body: req.accessDecisionSchema,
    responses: { 200: { schema: res.accessDecision, description: 'the decision' } },
    run: async ({ params, body, caller }, deps) => ({ status: 200, body: await decideArchiveAccess(deps, caller, params.requestId, body) }),
  }),
  defineRoute({
    handler: 'get-archived-policy',
    method: 'GET',
    path: '/v1/archive/policies/{policyId}',
    summary: "A closed lifecycle's archived history, within an approved grant",
    description: '403 `NO_ACTIVE_GRANT` without an approved, unexpired grant covering the policy and its printing date; 404 when not archived.',
    roles: ['auditor'],
    access: { table: 'R', recordsReads: true, archive: 'R' },
    params: policyParams,
    responses: { 200: { schema: res.archivedPolicy, description: 'the archived history, verified against its anchor, customer data masked' } },
    run: async ({ params, caller }, deps) => ({ status: 200, body: await readArchivedPolicy(deps, caller, params.policyId) }),
  }),
];

export type RouteName = (typeof TABLE)[number]['handler'];

export const ROUTES: readonly AnyRoute[] = TABLE;

export function routeNamed(handler: string): AnyRoute {
  const route = ROUTES.find((r) => r.handler === handler);
  if (!route) throw new Error(`no route has the handler ${handler} (functions/http/routes.ts)`);
  return route;
}
