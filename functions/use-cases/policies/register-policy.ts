import { resolveRuleSet } from '../../domain/rule-set.js';
import { planAppend } from '../../lifecycle/event-append.js';
import { requestHash } from '../../lifecycle/event-hash.js';
import { projectionOf } from '../../lifecycle/projection.js';
import type { PolicyRecord } from '../../lifecycle/events.js';
import { policyView, type PolicyView } from '../../lifecycle/policy-view.js';
import { planWorkflow } from '../../lifecycle/workflow-plan.js';
import type { RegisterPolicyInput } from '../inputs.js';
import { ConcurrentAppendError } from '../../ports/policy-repository.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { assertNotInFuture, replayConflict } from '../guards.js';

/**
 * Register a printed policy and start its lifecycle.
 * 1. The first event of the policy's log is its registration (conditional on seq 1).
 * 2. The same body again returns the same view; a different body for the id is a conflict.
 * 3. The lifecycle is started (idempotently) either way, so a crash between 1 and 3 heals on retry;
 *    a new policy's execution gets its plan in its input (no read of the log just written).
 */
export async function registerPolicy(deps: Dependencies, input: RegisterPolicyInput, caller: Caller): Promise<{ created: boolean; view: PolicyView }> {
  // A policy is registered after it is printed; a printing date from the future is a client error.
  assertNotInFuture('printedAt', input.printedAt, deps.clock.now());
  const hash = requestHash(input);
  const rules = resolveRuleSet(input.ruleSet ?? deps.defaultRuleSet);
  const policy: PolicyRecord = {
    policyId: input.policyId,
    productCode: input.productCode,
    branchId: input.branchId,
    printedAt: new Date(input.printedAt).toISOString(),
    effectiveAt: input.effectiveAt,
    agent: input.agent,
    policyholder: input.policyholder,
    commission: input.commission,
    ruleSet: { name: rules.name, version: rules.version },
    timeZone: input.timeZone ?? rules.defaultTimeZone,
    ...(input.paymentPlan ? { paymentPlan: input.paymentPlan } : {}),
  };
  let created = true;
  let state = undefined;
  const plan = planAppend(input.policyId, undefined, { at: deps.clock.now().toISOString(), actor: caller, data: { type: 'PolicyRegistered', policy, requestHash: hash } });
  try {
    await deps.repository.appendEvent(plan.event, plan.owner);
  } catch (error) {
    if (!(error instanceof ConcurrentAppendError)) throw error;
    const existing = await deps.repository.load(input.policyId);
    if (!existing) throw error;
    if (existing.state.registrationHash !== hash) throw replayConflict(`policy ${input.policyId}`);
    created = false;
    state = existing.state;
    // A retry after a crash between the append and the projection heals the view.
    if (existing.viewVersion < state.version) await deps.repository.project(projectionOf(state));
  }
  if (!state) {
    await deps.repository.project(plan.projection);
    state = plan.state;
  }
  // A new policy's plan is known here; a replay lets the execution read where the log stands.
  await deps.workflow.startLifecycle(input.policyId, created ? planWorkflow(state, rules, deps.clock.now()) : undefined);
  return { created, view: policyView(state, caller) };
}
