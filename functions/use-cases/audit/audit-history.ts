import { customerDataAccess } from '../../domain/customer-privacy.js';
import { type EventChainCheck, type StepChainCheck, verifyEventChain, verifyStepChains } from '../../audit/chain-verification.js';
import { historyTimeline } from '../../audit/history-timeline.js';
import type { PolicyHistory } from '../../ports/audit-store.js';
import { recordAccess } from './access-log.js';
import { latestAnchorOf, verifyAgainstAnchor } from './anchor-verification.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { assertMayOwn, policyNotFound } from '../guards.js';

/** The agent and branch the policy was registered for; '' when the registration itself is gone (tampered). */
function ownerOf(history: PolicyHistory): { agentId: string; branchId: string } {
  const registration = history.events.find((e) => e.data?.type === 'PolicyRegistered');
  return registration?.data.type === 'PolicyRegistered'
    ? { agentId: registration.data.policy.agent.agentId, branchId: registration.data.policy.branchId }
    : { agentId: '', branchId: '' };
}

async function loadReadable(deps: Dependencies, policyId: string, caller: Caller): Promise<{ history: PolicyHistory; owner: { agentId: string; branchId: string } }> {
  const history = await deps.audit.loadHistory(policyId);
  if (!history) throw policyNotFound(policyId, caller);
  const owner = ownerOf(history);
  assertMayOwn(owner, policyId, caller);
  return { history, owner };
}

/**
 * `GET /v1/policies/{id}/history`: every business event (who, role, what, when, before/after)
 * and every recorded workflow step, in one timeline; customer data masked for the viewer.
 */
export async function getPolicyHistory(deps: Dependencies, policyId: string, caller: Caller) {
  const { history, owner } = await loadReadable(deps, policyId, caller);
  await recordAccess(deps, caller, 'history', { policyId });
  // An archive read is never a visit: the history grants only what owning the policy grants.
  const access = customerDataAccess(caller, { ownerAgentId: owner.agentId, branchId: owner.branchId });
  const timeline = historyTimeline(history.events, history.steps, access);
  const last = [...history.events].sort((a, b) => b.seq - a.seq)[0];
  return {
    policyId,
    events: history.events.length,
    workflowSteps: history.steps.length,
    executions: [...new Set(history.steps.map((s) => s.execution))],
    ...(last ? { headHash: last.hash } : {}),
    timeline,
  };
}

/**
 * `GET /v1/policies/{id}/history/verify`: recomputes both chains, naming the first broken link,
 * and checks them against the latest anchor covering the policy (a consistent rewrite, a
 * deletion or a truncation shows there). A policy gone from the table but anchored is reported
 * broken from its first event.
 */
export async function verifyPolicyHistory(deps: Dependencies, policyId: string, caller: Caller) {
  const stored = await deps.audit.loadHistory(policyId);
  if (!stored && (caller.role === 'agent' || !(await latestAnchorOf(deps, policyId)))) throw policyNotFound(policyId, caller);
  const history: PolicyHistory = stored ? (await loadReadable(deps, policyId, caller)).history : { events: [], steps: [] };
  await recordAccess(deps, caller, 'history-verify', { policyId });
  const anchored = await verifyAgainstAnchor(deps, policyId, history.events, history.steps);
  const chainSteps = verifyStepChains(history.steps);
  // No event at all, yet the workflow ran for it: the log was deleted from its first event.
  const chainEvents = history.events.length === 0 && (history.steps.length > 0 || history.head)
    ? { valid: false, events: 0, firstBrokenAt: 1, reason: 'event 1 is missing: the policy has no events left' }
    : verifyEventChain(history.events, history.head);
  const events = earliestEventBreak(chainEvents, anchored?.breaks.event);
  const steps = earliestStepBreak(chainSteps, anchored?.breaks.step);
  const anchorIntact = anchored === undefined || anchored.anchor.included;
  return {
    valid: events.valid && steps.valid && anchorIntact,
    events: events.events,
    ...(events.firstBrokenAt !== undefined ? { firstBrokenAt: events.firstBrokenAt, reason: events.reason } : {}),
    workflowSteps: steps,
    ...(anchored ? { anchor: anchored.anchor } : {}),
  };
}

/** The chain's own break or the anchor's, whichever comes first in the log. */
function earliestEventBreak(chain: EventChainCheck, anchored?: { seq: number; reason: string }): EventChainCheck {
  if (!anchored || (chain.firstBrokenAt !== undefined && chain.firstBrokenAt <= anchored.seq)) return chain;
  return { valid: false, events: chain.events, firstBrokenAt: anchored.seq, reason: anchored.reason };
}

function earliestStepBreak(chain: StepChainCheck, anchored?: { execution: string; n: number; reason: string }): StepChainCheck {
  const first = chain.firstBrokenAt;
  if (!anchored || (first && (first.execution < anchored.execution || (first.execution === anchored.execution && first.n <= anchored.n)))) return chain;
  return { ...chain, valid: false, firstBrokenAt: { execution: anchored.execution, n: anchored.n }, reason: anchored.reason };
}
