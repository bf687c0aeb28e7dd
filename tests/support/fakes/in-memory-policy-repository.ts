import { GENESIS_HASH, hashEvent } from '../../../functions/lifecycle/event-hash.js';
import type { StoredEvent } from '../../../functions/lifecycle/events.js';
import { applyEvent, foldEvents, type PolicyState } from '../../../functions/lifecycle/policy-state.js';
import { workItemOf } from '../../../functions/lifecycle/work-item.js';
import {
  ConcurrentAppendError, type LoadedPolicy, type LogHead, type NewEvent, type PolicyRepository, type WorkBucket, type WorkItem,
} from '../../../functions/ports/policy-repository.js';

interface Partition {
  events: StoredEvent[];
  viewVersion: number;
  work?: WorkItem;
  tokens: Record<string, string>;
}

const workKey = (item: WorkItem) => `${item.dueAt}#${item.policyId}`;

/**
 * The PolicyRepository port in memory, with the adapter's semantics: an append wins only on
 * the next sequence number, the projection only moves forward. Counts calls for the tests.
 */
export class InMemoryPolicyRepository implements PolicyRepository {
  private readonly partitions = new Map<string, Partition>();
  private readonly requests = new Map<string, string>();
  readonly calls: Record<string, number> = {};
  /** Runs before an append is applied: a test can slip in a competing writer here. */
  beforeAppend?: (policyId: string) => Promise<void>;

  async load(policyId: string): Promise<LoadedPolicy | undefined> {
    this.count('load');
    const partition = this.partitions.get(policyId);
    const state = partition && foldEvents(partition.events);
    if (!partition || !state) return undefined;
    return { events: [...partition.events], state, tokens: { ...partition.tokens }, viewVersion: partition.viewVersion };
  }

  async append(policyId: string, previous: PolicyState | undefined, event: NewEvent) {
    this.count('append');
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.(policyId);
    const stored = this.put(policyId, { version: previous?.version ?? 0, lastHash: previous?.lastHash ?? GENESIS_HASH }, event);
    const state = applyEvent(previous, stored);
    await this.project(state);
    return { event: stored, state };
  }

  async appendAfter(policyId: string, head: LogHead, event: NewEvent): Promise<StoredEvent> {
    this.count('appendAfter');
    return this.put(policyId, head, event);
  }

  private put(policyId: string, head: LogHead, event: NewEvent): StoredEvent {
    const partition = this.partitions.get(policyId) ?? { events: [], viewVersion: 0, tokens: {} };
    const seq = head.version + 1;
    if (partition.events.length >= seq) throw new ConcurrentAppendError(policyId, seq);
    const base = { policyId, seq, at: event.at, actor: event.actor, data: event.data };
    const stored: StoredEvent = { ...base, prevHash: head.lastHash, hash: hashEvent(head.lastHash, base) };
    partition.events.push(stored);
    this.partitions.set(policyId, partition);
    return stored;
  }

  async project(state: PolicyState): Promise<void> {
    const partition = this.partitions.get(state.policy.policyId);
    if (!partition || partition.viewVersion > state.version) return;
    partition.viewVersion = state.version;
    partition.work = workItemOf(state);
  }

  async loadTokens(policyId: string): Promise<Record<string, string>> {
    this.count('loadTokens');
    return { ...this.partitions.get(policyId)?.tokens };
  }

  async saveToken(policyId: string, step: string, token: string): Promise<void> {
    this.count('saveToken');
    const partition = this.partitions.get(policyId);
    if (partition) partition.tokens[step] = token;
  }

  /** For tests: the waits of the policy are not parked (yet). */
  dropTokens(policyId: string): void {
    const partition = this.partitions.get(policyId);
    if (partition) partition.tokens = {};
  }

  async listWork(bucket: WorkBucket, dueBy: string | undefined, limit: number, after?: WorkItem): Promise<WorkItem[]> {
    this.count('listWork');
    return [...this.partitions.values()]
      .flatMap((p) => (p.work?.bucket === bucket ? [p.work] : []))
      .filter((item) => (dueBy === undefined || item.dueAt <= dueBy) && (!after || workKey(item) > workKey(after)))
      .sort((a, b) => workKey(a).localeCompare(workKey(b)))
      .slice(0, limit);
  }

  async saveRequestLink(requestId: string, policyId: string): Promise<void> {
    this.requests.set(requestId, policyId);
  }

  async findRequestPolicy(requestId: string): Promise<string | undefined> {
    return this.requests.get(requestId);
  }

  private count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }
}
