import type { PolicyState, SpecialRequestState } from '../lifecycle/policy-state.js';
import type { Caller } from './caller.js';
import { ForbiddenError } from './errors.js';

/**
 * Segregation of incompatible duties (docs/rules.md §7; docs/api.md, Staff and scope): each
 * refusal is a 403 whose `error.code` names the conflict. They hold in local and AWS mode
 * alike, with or without a directory entry, wherever the people involved are known.
 */
export const VISITOR_IS_AGENT = 'VISITOR_IS_AGENT';
export const REVIEWER_CONFLICT = 'REVIEWER_CONFLICT';
export const DECIDER_IS_FILER = 'DECIDER_IS_FILER';

/** The manual visit checks the agent's work: the agent may neither be its visitor nor report it. */
export function assertVisitorIsNotAgent(state: PolicyState, visitorId: string, caller: Caller): void {
  const agentId = state.policy.agent.agentId;
  if (visitorId === agentId) {
    throw new ForbiddenError(`visitor ${visitorId} is the agent of policy ${state.policy.policyId}; the manual visit must be made by someone else`, VISITOR_IS_AGENT);
  }
  if (caller.subject === agentId) {
    throw new ForbiddenError(`${agentId} is the agent of policy ${state.policy.policyId} and may not report its manual visit`, VISITOR_IS_AGENT);
  }
}

/** The compliance reviewer judges the agent's and the visitor's findings: neither may review. */
export function assertReviewerIndependent(state: PolicyState, caller: Caller): void {
  const reviewer = caller.subject;
  if (reviewer === undefined) return;
  if (reviewer === state.policy.agent.agentId) {
    throw new ForbiddenError(`reviewer ${reviewer} is the agent of policy ${state.policy.policyId}`, REVIEWER_CONFLICT);
  }
  if (reviewer === state.manualVisit?.visitorId) {
    throw new ForbiddenError(`reviewer ${reviewer} made the manual visit of policy ${state.policy.policyId}`, REVIEWER_CONFLICT);
  }
}

/** Whoever filed a special request may not decide it (four eyes). */
export function assertDeciderIsNotFiler(request: SpecialRequestState, caller: Caller): void {
  if (caller.subject !== undefined && caller.subject === request.filedBy) {
    throw new ForbiddenError(`${caller.subject} filed special request ${request.requestId} and may not decide it`, DECIDER_IS_FILER);
  }
}
