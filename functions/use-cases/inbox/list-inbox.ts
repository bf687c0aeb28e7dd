import { type ClaimableInboxKind, compareInboxItems, type InboxKind, isClaimableKind, roundDeadlineNear } from '../../domain/inbox-sla.js';
import { ruleSetByVersion } from '../../domain/rule-set.js';
import { type InboxItem, requestInboxItem, workInboxItem } from '../../lifecycle/inbox-item.js';
import { projectionOf } from '../../lifecycle/projection.js';
import type { SpecialRequestEntry } from '../../lifecycle/special-request-entry.js';
import { claimKeyOf, type InboxClaim } from '../../ports/inbox-claims.js';
import type { WorkBucket, WorkItem } from '../../ports/policy-repository.js';
import type { Caller } from '../caller.js';
import type { Dependencies } from '../dependencies.js';
import { ForbiddenError } from '../errors.js';
import { filtersFingerprint } from '../audit/audit-cursor.js';
import { agentInbox } from './agent-inbox.js';
import { branchInScope, kindsVisibleTo, subjectOf } from './inbox-access.js';
import { decodeInboxCursor, encodeInboxCursor } from './inbox-cursor.js';

/** Items read per kind at most, like the open-work queues: an inbox is a worklist, not an archive. */
const MAX_READ = 5000;

export interface InboxQuery {
  readonly kind?: InboxKind;
  readonly branchId?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface ListedInboxItem extends InboxItem {
  readonly claimedBy?: string;
  readonly claimedAt?: string;
}

/**
 * Special-request entries proven current against their logs, or re-derived from them; `heal`
 * also re-projects those (the sweep, which may write; an inbox read only reads).
 */
export async function currentRequests(deps: Dependencies, entries: readonly SpecialRequestEntry[], heal = false): Promise<SpecialRequestEntry[]> {
  // One head per policy (a policy may have an early-callback and an exemption request open), the oldest seen.
  const heads = new Map<string, number>();
  for (const e of entries) heads.set(e.policyId, Math.min(e.version, heads.get(e.policyId) ?? e.version));
  const behind = await deps.repository.logsAhead([...heads].map(([policyId, version]) => ({ policyId, version })));
  const out: SpecialRequestEntry[] = [];
  for (const entry of entries) {
    if (!behind.has(entry.policyId)) {
      out.push(entry);
      continue;
    }
    const loaded = await deps.repository.load(entry.policyId);
    if (!loaded) continue;
    const projection = projectionOf(loaded.state);
    // Heals the view and every request entry of the policy: the next read finds them current.
    if (heal) await deps.repository.project(projection);
    const fresh = projection.requests?.find((r) => r.requestId === entry.requestId);
    if (fresh?.open) out.push(fresh);
  }
  return out;
}

/** A queue's items as inbox items, with their rule sets; entries projected before the inbox existed are re-derived from their logs. */
async function workItems(deps: Dependencies, bucket: Extract<WorkBucket, 'VISIT' | 'REVIEW' | 'DIAL'>, now: Date): Promise<{ item: InboxItem; work: WorkItem }[]> {
  const page = await deps.repository.listWork(bucket, undefined, MAX_READ);
  const behind = await deps.repository.logsAhead(page.map((q) => ({ policyId: q.item.policyId, version: q.version })));
  const items: { item: InboxItem; work: WorkItem }[] = [];
  for (let { item: work } of page) {
    // An entry behind its log (a crash between an append and its view) or from before the inbox: as its log says now.
    let item = behind.has(work.policyId) ? undefined : workInboxItem(work, now);
    if (!item) {
      const loaded = await deps.repository.load(work.policyId);
      const projection = loaded && projectionOf(loaded.state);
      if (!projection?.work || projection.work.bucket !== bucket) continue;
      work = projection.work;
      item = workInboxItem(work, now);
    }
    if (item) items.push({ item, work });
  }
  return items;
}

async function itemsOfKind(deps: Dependencies, kind: ClaimableInboxKind, now: Date): Promise<InboxItem[]> {
  switch (kind) {
    case 'SPECIAL_REQUEST':
      return (await currentRequests(deps, await deps.repository.listOpenRequests(MAX_READ))).map((entry) => requestInboxItem(entry, now));
    case 'MANUAL_VISIT':
      return (await workItems(deps, 'VISIT', now)).map((w) => w.item);
    case 'REVIEW':
      return (await workItems(deps, 'REVIEW', now)).map((w) => w.item);
    case 'CALLBACK_ROUND':
      // Only the rounds whose deadline is near (the policy's rule set says how near).
      return (await workItems(deps, 'DIAL', now))
        .filter(({ item, work }) => roundDeadlineNear(item.dueAt, now, ruleSetByVersion(work.ruleSet.name, work.ruleSet.version)))
        .map((w) => w.item);
  }
}

/** Every item of the kinds asked for: an agent's from its own partition, staff's from the queues. */
async function itemsFor(deps: Dependencies, caller: Caller, kinds: readonly InboxKind[], now: Date): Promise<InboxItem[]> {
  if (caller.role === 'agent') {
    const agentId = subjectOf(caller, "to read an agent's inbox");
    return (await agentInbox(deps, agentId, now)).filter((item) => kinds.includes(item.kind));
  }
  return (await Promise.all(kinds.filter(isClaimableKind).map((kind) => itemsOfKind(deps, kind, now)))).flat();
}

/**
 * The caller's work inbox (docs/api.md, Work inboxes): the open items of the kinds its role
 * sees — an agent only its own policies' — of its branch when it has one, earliest due first,
 * each with its claim. Paged with an opaque cursor bound to the filters.
 */
export async function listInbox(deps: Dependencies, caller: Caller, query: InboxQuery): Promise<{ items: ListedInboxItem[]; nextCursor?: string }> {
  const visible = kindsVisibleTo(caller);
  if (query.kind !== undefined && !visible.includes(query.kind)) throw new ForbiddenError(`role ${caller.role} has no ${query.kind} inbox`);
  const branchId = branchInScope(caller, query.branchId);
  const kinds = query.kind !== undefined ? [query.kind] : visible;
  const fingerprint = filtersFingerprint('inbox', { kinds: kinds.join(','), branchId });
  const after = query.cursor !== undefined ? decodeInboxCursor(query.cursor, fingerprint) : undefined;
  const now = deps.clock.now();

  const all = (await itemsFor(deps, caller, kinds, now))
    .filter((item) => branchId === undefined || item.branchId === branchId)
    .filter((item) => after === undefined || compareInboxItems(item, after) > 0)
    .sort(compareInboxItems);
  const page = all.slice(0, query.limit);
  // Agents' tasks are never claimed: no claim to look up.
  const claims = caller.role === 'agent' ? new Map<string, InboxClaim>() : await deps.claims.claimsOf(page);
  const items = page.map((item) => {
    const claim = claims.get(claimKeyOf(item));
    return claim ? { ...item, claimedBy: claim.claimedBy, claimedAt: claim.claimedAt } : item;
  });
  const last = page.at(-1);
  return all.length > page.length && last ? { items, nextCursor: encodeInboxCursor(last, fingerprint) } : { items };
}
