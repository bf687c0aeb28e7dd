import { randomUUID } from 'node:crypto';
import { requestHash } from '../../lifecycle/event-hash.js';
import { stageOf } from '../../lifecycle/stage.js';
import type { SpecialRequestInput } from '../inputs.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError } from '../errors.js';
import { assertMayActOn, assertNotCancelled } from '../guards.js';
import { runPolicyCommand } from '../policy-command.js';
import { noticeFiledRequest } from '../inbox/special-request-mails.js';

const EXEMPTABLE = new Set(['WAITING_FIRST_CALLBACK', 'FIRST_CALLBACK', 'CONTACT_UPDATE', 'SECOND_CALLBACK']);

/**
 * The agent files an early-callback or exemption request (docs/rules.md §3, special requests).
 * Early: only before the first callback is due. Exemption: while the callback is unresolved.
 * One pending request of a type at a time; the branch coordinator decides it.
 */
export async function fileSpecialRequest(deps: Dependencies, policyId: string, input: SpecialRequestInput, caller: Caller): Promise<{ requestId: string }> {
  const requestId = `SR-${randomUUID()}`;
  const hash = requestHash(input);
  await deps.repository.saveRequestLink(requestId, policyId);
  const filed = await runPolicyCommand(deps, policyId, caller, ({ state }) => {
    assertMayActOn(state, caller);
    assertNotCancelled(state);
    const stage = stageOf(state);
    if (input.type === 'EARLY' && stage !== 'WAITING_FIRST_CALLBACK') {
      throw new ConflictError('TOO_LATE_FOR_EARLY_CALLBACK', `an early callback can only be requested before the first callback starts (stage is ${stage})`);
    }
    if (input.type === 'EXEMPT' && !EXEMPTABLE.has(stage)) {
      throw new ConflictError('CALLBACK_ALREADY_RESOLVED', `an exemption can only be requested while the callback is unresolved (stage is ${stage})`);
    }
    const pending = state.specialRequests.find((r) => r.type === input.type && r.status === 'PENDING');
    if (pending) {
      if (pending.requestHash === hash) return { result: (after) => ({ requestId: pending.requestId, after }) };
      throw new ConflictError('REQUEST_PENDING', `a ${input.type} request (${pending.requestId}) is already pending for policy ${policyId}`);
    }
    return {
      event: {
        type: 'SpecialRequestFiled',
        requestId,
        requestType: input.type,
        reason: input.reason,
        requestHash: hash,
        ...(input.signedConfirmationRef ? { signedConfirmationRef: input.signedConfirmationRef } : {}),
      },
      result: (after) => ({ requestId, after }),
    };
  });
  // The fact is recorded: now the branch is told (once; a replay with the same body re-sends only a lost notice).
  await noticeFiledRequest(deps, filed.after, filed.requestId);
  return { requestId: filed.requestId };
}
