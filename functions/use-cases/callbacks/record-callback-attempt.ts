import { assertAttemptAllowed, decideAttempt } from '../../domain/callback-round.js';
import { ruleSetByVersion } from '../../domain/rule-set.js';
import { requestHash } from '../../lifecycle/event-hash.js';
import type { CallbackAttemptInput } from '../inputs.js';
import { roundSnapshot } from '../../lifecycle/work-item.js';
import { roundOf } from '../../lifecycle/stage.js';
import type { StoredEvent } from '../../lifecycle/events.js';
import type { RoundState } from '../../lifecycle/policy-state.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import { assertNotCancelled, assertNotInFuture, replayConflict } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';
import { regulatoryAttempt } from './regulatory-attempt.js';

export interface AttemptResult {
  roundStatus: RoundState['status'];
  nextAttemptNotBefore?: string;
}

function resultOf(round: RoundState | undefined): AttemptResult {
  if (!round) return { roundStatus: 'OPEN' };
  return { roundStatus: round.status, ...(round.status === 'OPEN' && round.nextAttemptNotBefore ? { nextAttemptNotBefore: round.nextAttemptNotBefore } : {}) };
}

function recordedResult(events: readonly StoredEvent[], attemptId: string): AttemptResult | undefined {
  for (const { data } of events) {
    if (data.type === 'CallbackAttemptRecorded' && data.attempt.attemptId === attemptId) {
      return { roundStatus: data.roundStatus, ...(data.roundStatus === 'OPEN' && data.nextAttemptNotBefore ? { nextAttemptNotBefore: data.nextAttemptNotBefore } : {}) };
    }
  }
  return undefined;
}

/**
 * One call by the call centre.
 * 1. An attemptId seen before returns its recorded result (a different body is a conflict).
 * 2. The round must be open; the call must respect calling hours and the 6-hour gap (422).
 * 3. The domain decides the round; a closed round completes the workflow's wait.
 */
export async function recordCallbackAttempt(deps: Dependencies, policyId: string, input: CallbackAttemptInput, caller: Caller): Promise<AttemptResult> {
  const hash = requestHash(input);
  const now = deps.clock.now();
  return runPolicyCommand(deps, policyId, caller, ({ state, events }) => {
    const seen = state.rounds.find((r) => r.attemptHashes[input.attemptId]);
    if (seen) {
      if (seen.attemptHashes[input.attemptId] !== hash) throw replayConflict(`attempt ${input.attemptId}`);
      // The replay answers what the attempt answered then, not the round's state after later attempts.
      const recorded = recordedResult(events, input.attemptId);
      return { result: (s) => recorded ?? resultOf(roundOf(s, seen.round)) };
    }
    const rules = ruleSetByVersion(state.policy.ruleSet.name, state.policy.ruleSet.version);
    // docs/rules.md §8: the art. 15 answers decide whether the policyholder was reached and what was found.
    const regulatory = regulatoryAttempt(input, state.policy, rules);
    assertNotCancelled(state);
    assertNotInFuture('calledAt', input.calledAt, now);
    const round = roundOf(state, input.round);
    if (!round || round.status !== 'OPEN' || state.callbackOutcome) {
      throw new ConflictError('NO_OPEN_ROUND', `callback round ${input.round} of policy ${policyId} is not open`);
    }
    const ctx = { timeZone: state.policy.timeZone, rules, customerPhoneIsAgentOrBranchPhone: state.contact.agentPhoneAsCustomer };
    const attempt = {
      attemptId: input.attemptId,
      calledAt: new Date(input.calledAt),
      reached: regulatory.reached,
      ...(regulatory.reason ? { reason: regulatory.reason } : {}),
      ...(regulatory.findings ? { findings: regulatory.findings } : {}),
    };
    const snapshot = roundSnapshot(round);
    assertAttemptAllowed(snapshot, attempt, ctx);
    const decision = decideAttempt(snapshot, attempt, ctx);
    return {
      event: {
        type: 'CallbackAttemptRecorded',
        attempt: {
          attemptId: input.attemptId,
          round: input.round,
          calledAt: attempt.calledAt.toISOString(),
          reached: attempt.reached,
          ...(attempt.reason ? { reason: attempt.reason } : {}),
          ...(attempt.findings ? { findings: attempt.findings } : {}),
          operatorId: input.operatorId,
          ...(regulatory.confirmations ? { confirmations: regulatory.confirmations } : {}),
          ...(input.recordingRef !== undefined ? { recordingRef: input.recordingRef } : {}),
          ...(input.durationSeconds !== undefined ? { durationSeconds: input.durationSeconds } : {}),
        },
        requestHash: hash,
        roundStatus: decision.status,
        endReason: decision.endReason,
        nextAttemptNotBefore: decision.nextAttemptNotBefore?.toISOString(),
        ...(regulatory.missing.length > 0 ? { missingEvidence: regulatory.missing } : {}),
      },
      result: (s) => resultOf(roundOf(s, input.round)),
    };
  });
}
