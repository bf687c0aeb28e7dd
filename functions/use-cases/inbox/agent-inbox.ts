import { agentInboxItems, type AgentWork, agentWorkOf } from '../../lifecycle/agent-work.js';
import type { InboxItem } from '../../lifecycle/inbox-item.js';
import type { Dependencies } from '../dependencies.js';

/** Policies read per agent at most, like the other inboxes: a worklist, not an archive. */
const MAX_READ = 5000;

/**
 * The open tasks of one agent's policies (docs/api.md, Work inboxes): one query on the agent's
 * partition, each policy proven current against its log (one keys-only batch) or re-derived
 * from it. Only policies of `agentId` ever come back: the partition is the agent's, and a
 * re-derived policy is checked again (a read only reads: healing is the next append's).
 */
export async function agentInbox(deps: Dependencies, agentId: string, now: Date): Promise<InboxItem[]> {
  const read = await deps.repository.listAgentWork(agentId, MAX_READ);
  const behind = await deps.repository.logsAhead(read.map((r) => ({ policyId: r.work.policyId, version: r.version })));
  const current: AgentWork[] = [];
  for (const { work } of read) {
    if (!behind.has(work.policyId)) {
      current.push(work);
      continue;
    }
    const loaded = await deps.repository.load(work.policyId);
    const fresh = loaded && agentWorkOf(loaded.state);
    if (fresh) current.push(fresh);
  }
  return current.filter((work) => work.agentId === agentId).flatMap((work) => agentInboxItems(work, now));
}
