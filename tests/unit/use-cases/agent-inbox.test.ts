import { describe, expect, it } from 'vitest';
import { planAppend } from '../../../functions/lifecycle/event-append.js';
import { fileSpecialRequest } from '../../../functions/use-cases/callbacks/file-special-request.js';
import { listInbox } from '../../../functions/use-cases/inbox/list-inbox.js';
import { registerPolicy } from '../../../functions/use-cases/policies/register-policy.js';
import { ForbiddenError, ValidationError } from '../../../functions/use-cases/errors.js';
import { fakeDependencies } from '../../support/fakes/fake-dependencies.js';
import { AGENT_ID, CLOCK_START } from '../../support/policies.js';
import { registrationInput, UPSTREAM } from './use-case-fixtures.js';

const AGENT = { role: 'agent', subject: AGENT_ID } as const;
const OTHER = { role: 'agent', subject: 'A2002' } as const;

async function twoAgents() {
  const deps = fakeDependencies(CLOCK_START);
  await registerPolicy(deps, registrationInput('P-AG-1'), UPSTREAM);
  await registerPolicy(deps, registrationInput('P-AG-2', { agent: { agentId: 'A2002', name: '李强', phone: '13900000002', email: 'a2002@insurer.example' } }), UPSTREAM);
  return deps;
}

describe("the agent's inbox (use case)", () => {
  it("reads one query of the agent's partition and shows its own policies only", async () => {
    const deps = await twoAgents();
    const { requestId } = await fileSpecialRequest(deps, 'P-AG-1', { type: 'EARLY', reason: 'r' }, AGENT);
    const mine = await listInbox(deps, AGENT, { limit: 100 });
    expect(mine.items.map((i) => [i.kind, i.itemId])).toEqual([['SPECIAL_REQUEST', requestId], ['RECEIPT_MISSING', 'P-AG-1']]);
    expect((await listInbox(deps, OTHER, { limit: 100 })).items.map((i) => i.policyId)).toEqual(['P-AG-2']);
    expect(deps.repository.calls.listAgentWork).toBe(2);
    expect(deps.repository.calls.listWork ?? 0).toBe(0);
    expect(deps.repository.calls.listOpenRequests ?? 0).toBe(0);
  });

  it('shows a policy whose view lags its log as the log says (a crash between the append and the view)', async () => {
    const deps = await twoAgents();
    const loaded = (await deps.repository.load('P-AG-1'))!;
    const plan = planAppend('P-AG-1', loaded.state, { at: deps.clock.now().toISOString(), actor: UPSTREAM, data: { type: 'ReceiptReturned', returnedAt: deps.clock.now().toISOString(), late: false, requestHash: 'h' } });
    await deps.repository.appendEvent(plan.event);
    expect(deps.repository.view('P-AG-1')?.agentWork).toBeDefined();
    expect((await listInbox(deps, AGENT, { limit: 100 })).items).toEqual([]);
  });

  it("refuses the staff kinds and an agent credential without a subject", async () => {
    const deps = await twoAgents();
    await expect(listInbox(deps, AGENT, { limit: 100, kind: 'MANUAL_VISIT' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listInbox(deps, { role: 'agent' }, { limit: 100 })).rejects.toBeInstanceOf(ValidationError);
    await expect(listInbox(deps, { role: 'branch', subject: 'B7' }, { limit: 100, kind: 'CONTACT_WINDOW' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
