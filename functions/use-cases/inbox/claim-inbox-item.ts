import type { ClaimableInboxKind } from '../../domain/inbox-sla.js';
import { inboxItemStatus, policyIdOfItem } from '../../lifecycle/inbox-item.js';
import type { PolicyState } from '../../lifecycle/policy-state.js';
import type { InboxClaim } from '../../ports/inbox-claims.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { assertItemInScope, subjectOf, worksKind } from './inbox-access.js';

const describe = (kind: ClaimableInboxKind, itemId: string) => `${kind} ${itemId}`;

/** The policy an item belongs to, read from its log, and whether the item is still open; 404 when there is no such item. */
async function findItem(deps: Dependencies, kind: ClaimableInboxKind, itemId: string): Promise<{ state: PolicyState; open: boolean }> {
  const policyId = kind === 'SPECIAL_REQUEST' ? await deps.repository.findRequestPolicy(itemId) : policyIdOfItem(kind, itemId);
  const loaded = policyId !== undefined ? await deps.repository.load(policyId) : undefined;
  const status = loaded ? inboxItemStatus(loaded.state, kind, itemId) : 'absent';
  if (!loaded || status === 'absent') throw new NotFoundError(`no ${describe(kind, itemId)} in any inbox`);
  return { state: loaded.state, open: status === 'open' };
}

/**
 * Takes an inbox item for the calling person: only a role that works the kind, only an open
 * item (409 ITEM_CLOSED once its work is done), and only one person at a time (409
 * ALREADY_CLAIMED naming the claimer). The same person again gets the same claim back.
 */
export async function claimInboxItem(deps: Dependencies, caller: Caller, kind: ClaimableInboxKind, itemId: string): Promise<InboxClaim> {
  if (!worksKind(caller, kind)) throw new ForbiddenError(`role ${caller.role} does not work ${kind} items`);
  const subject = subjectOf(caller);
  const { state, open } = await findItem(deps, kind, itemId);
  assertItemInScope(caller, state.policy.branchId, describe(kind, itemId));
  if (!open) throw new ConflictError('ITEM_CLOSED', `${describe(kind, itemId)} is finished: it has left the inbox and cannot be claimed`);
  const attempt = await deps.claims.claim({ kind, itemId, claimedBy: subject, claimedAt: deps.clock.now().toISOString() });
  if (attempt.outcome === 'taken') {
    throw new ConflictError('ALREADY_CLAIMED', `${describe(kind, itemId)} is already claimed by ${attempt.claim.claimedBy} (since ${attempt.claim.claimedAt})`, [
      { rule: 'ALREADY_CLAIMED', claimedBy: attempt.claim.claimedBy, claimedAt: attempt.claim.claimedAt },
    ]);
  }
  return attempt.claim;
}

/**
 * Gives an item back: its claimer, or a manager (of its branch when the manager has one) for
 * anyone. Releasing an item nobody holds changes nothing.
 */
export async function releaseInboxItem(deps: Dependencies, caller: Caller, kind: ClaimableInboxKind, itemId: string): Promise<{ kind: ClaimableInboxKind; itemId: string; released: boolean; claimedBy?: string }> {
  const manager = caller.role === 'manager';
  if (!manager && !worksKind(caller, kind)) throw new ForbiddenError(`role ${caller.role} does not work ${kind} items`);
  const by = manager ? undefined : subjectOf(caller);
  const { state } = await findItem(deps, kind, itemId);
  assertItemInScope(caller, state.policy.branchId, describe(kind, itemId));
  const outcome = await deps.claims.release(kind, itemId, by);
  if (outcome.outcome === 'notClaimer') {
    throw new ForbiddenError(`${describe(kind, itemId)} is claimed by ${outcome.claim.claimedBy}: only the claimer or a manager may release it`);
  }
  return outcome.outcome === 'released' ? { kind, itemId, released: true, claimedBy: outcome.claim.claimedBy } : { kind, itemId, released: false };
}
