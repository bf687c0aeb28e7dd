import { randomUUID } from 'node:crypto';
import { customerDataAccess } from '../../domain/customer-privacy.js';
import { leafContentHash } from '../../audit/chain-anchor.js';
import { verifyEventChain, verifyStepChains } from '../../audit/chain-verification.js';
import { historyTimeline } from '../../audit/history-timeline.js';
import { verifyInclusion } from '../../audit/merkle.js';
import type { AccessRequest, AccessRequestStore, ArchiveScope } from '../../ports/access-request-store.js';
import { recordAccess } from './access-log.js';
import { policyArchiveKey, type PolicyArchive } from './archive-export.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';

function requests(deps: Dependencies): AccessRequestStore {
  if (!deps.accessRequests) throw new Error('archive access requests are not configured');
  return deps.accessRequests;
}

const who = (caller: Caller) => ({ role: caller.role, ...(caller.subject !== undefined ? { subject: caller.subject } : {}) });

/** `POST /v1/audit/access-requests`: an auditor asks to read archived histories (scope, period, reason). */
export async function requestArchiveAccess(deps: Dependencies, caller: Caller, body: { scope: ArchiveScope; from: string; to: string; reason: string }) {
  if (!caller.subject) throw new ForbiddenError('an archive access request needs an identified auditor');
  const request: AccessRequest = { requestId: randomUUID(), requestedAt: deps.clock.now().toISOString(), requester: who(caller), scope: body.scope, from: body.from, to: body.to, reason: body.reason };
  await requests(deps).create(request);
  await recordAccess(deps, caller, 'archive-access-request', { filters: { requestId: request.requestId, from: body.from, to: body.to, scope: JSON.stringify(body.scope) } });
  return { requestId: request.requestId };
}

/**
 * `POST /v1/audit/access-requests/{requestId}/decision`: compliance or a head-office manager
 * (a manager of no branch) approves until `validUntil`, or refuses; never the requester.
 */
export async function decideArchiveAccess(deps: Dependencies, caller: Caller, requestId: string, body: { approve: boolean; validUntil?: string }) {
  if (caller.role === 'manager' && caller.branchId !== undefined) throw new ForbiddenError('only a head-office manager (of no branch) decides archive access');
  const request = await requests(deps).get(requestId);
  if (!request) throw new NotFoundError(`access request ${requestId} not found`);
  if (caller.subject !== undefined && caller.subject === request.requester.subject) throw new ForbiddenError('the requester may not decide their own request', 'DECIDER_IS_REQUESTER');
  const now = deps.clock.now();
  if (body.approve && !(body.validUntil && Date.parse(body.validUntil) > now.getTime())) {
    throw new ValidationError('validUntil must be later than now', [{ field: 'validUntil', rule: 'future', message: 'validUntil must be a future instant when approving' }]);
  }
  const decision = { approve: body.approve, ...(body.approve && body.validUntil ? { validUntil: new Date(body.validUntil).toISOString() } : {}), decidedAt: now.toISOString(), decider: who(caller) };
  if (!(await requests(deps).decide(requestId, decision))) {
    const current = await requests(deps).get(requestId);
    return { requestId, ...(current?.decision ?? decision), alreadyDecided: true };
  }
  await recordAccess(deps, caller, 'archive-access-decision', { filters: { requestId, approve: String(body.approve), ...(decision.validUntil ? { validUntil: decision.validUntil } : {}) } });
  return { requestId, ...decision, alreadyDecided: false };
}

function covers(request: AccessRequest, archive: PolicyArchive, now: Date): boolean {
  const decision = request.decision;
  if (!decision?.approve || !decision.validUntil || Date.parse(decision.validUntil) <= now.getTime()) return false;
  const registration = archive.events.find((e) => e.data.type === 'PolicyRegistered');
  if (registration?.data.type !== 'PolicyRegistered') return false;
  const policy = registration.data.policy;
  const scope = request.scope;
  const inScope = 'policyIds' in scope ? scope.policyIds.includes(archive.policyId) : 'agentId' in scope ? policy.agent.agentId === scope.agentId : policy.branchId === scope.branchId;
  const printed = Date.parse(policy.printedAt);
  return inScope && printed >= Date.parse(request.from) && printed < Date.parse(request.to);
}

/**
 * `GET /v1/archive/policies/{policyId}`: a closed lifecycle's archived history, served only
 * under an approved, unexpired grant of the caller covering the policy (scope) and its
 * printing date (period); verified against its anchor; customer data masked for the auditor.
 */
export async function readArchivedPolicy(deps: Dependencies, caller: Caller, policyId: string) {
  const text = await deps.archive?.get(policyArchiveKey(policyId));
  if (!text) throw new NotFoundError(`policy ${policyId} is not archived`);
  const archive = JSON.parse(text) as PolicyArchive;
  const now = deps.clock.now();
  const grants = caller.subject ? await requests(deps).approvedFor(caller.subject) : [];
  const grant = grants.find((g) => covers(g, archive, now));
  if (!grant) throw new ForbiddenError(`no active archive access grant of ${caller.subject ?? '(anonymous)'} covers policy ${policyId}`, 'NO_ACTIVE_GRANT');
  await recordAccess(deps, caller, 'archive-read', { policyId, filters: { requestId: grant.requestId } });
  const events = verifyEventChain(archive.events);
  const steps = verifyStepChains(archive.steps);
  const anchored = (await deps.anchors?.get(archive.anchor.id))?.root ?? archive.anchor.root;
  const proven = archive.proofs.length > 0 && archive.proofs.every((p) => verifyInclusion(leafContentHash(p.leaf), p.proof, anchored));
  const registration = archive.events.find((e) => e.data.type === 'PolicyRegistered');
  const owner = registration?.data.type === 'PolicyRegistered' ? { ownerAgentId: registration.data.policy.agent.agentId, branchId: registration.data.policy.branchId } : { ownerAgentId: '', branchId: '' };
  return {
    policyId,
    exportedAt: archive.exportedAt,
    anchor: archive.anchor,
    verified: events.valid && steps.valid && proven,
    events: archive.events.length,
    workflowSteps: archive.steps.length,
    grant: { requestId: grant.requestId, validUntil: grant.decision?.validUntil as string },
    timeline: historyTimeline(archive.events, archive.steps, customerDataAccess(caller, owner)),
  };
}
