import type { StoredEvent } from '../../../functions/lifecycle/events.js';
import { foldEvents } from '../../../functions/lifecycle/policy-state.js';
import type { Projection } from '../../../functions/lifecycle/projection.js';
import type { SpecialRequestEntry } from '../../../functions/lifecycle/special-request-entry.js';
import {
  type AgentWorkRead, ConcurrentAppendError, type LoadedPolicy, type PolicyRepository, type QueuedWork, type SeenHead, type WorkBucket, type WorkItem,
} from '../../../functions/ports/policy-repository.js';

interface Partition {
  events: StoredEvent[];
  view?: Projection;
  tokens: Record<string, string>;
}

const workKey = (item: WorkItem) => `${item.dueAt}#${item.policyId}`;

/**
 * The PolicyRepository port in memory: storage only, with the adapter's semantics (an event is
 * stored only on the next sequence number, a projection only moves forward). What is stored
 * is planned by the lifecycle core, as for the DynamoDB adapter. Counts calls for the tests.
 */
export class InMemoryPolicyRepository implements PolicyRepository {
  private readonly partitions = new Map<string, Partition>();
  private readonly requests = new Map<string, string>();
  private readonly requestEntries = new Map<string, SpecialRequestEntry>();
  readonly calls: Record<string, number> = {};
  /** Runs before an event is stored: a test can slip in a competing writer here. */
  beforeAppend?: (policyId: string) => Promise<void>;

  async load(policyId: string): Promise<LoadedPolicy | undefined> {
    this.count('load');
    const partition = this.partitions.get(policyId);
    const state = partition && foldEvents(partition.events);
    if (!partition || !state) return undefined;
    return { events: [...partition.events], state, tokens: { ...partition.tokens }, viewVersion: partition.view?.version ?? 0 };
  }

  async appendEvent(event: StoredEvent): Promise<void> {
    this.count('appendEvent');
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.(event.policyId);
    const partition = this.partition(event.policyId);
    if (partition.events.length >= event.seq) throw new ConcurrentAppendError(event.policyId, event.seq);
    partition.events.push(event);
  }

  async project(projection: Projection): Promise<void> {
    this.count('project');
    const { requests = [], ...view } = projection;
    for (const entry of requests) {
      const stored = this.requestEntries.get(entry.requestId);
      if (!stored || stored.version <= entry.version) this.requestEntries.set(entry.requestId, entry);
    }
    const partition = this.partition(projection.policyId);
    if (partition.view && partition.view.version > projection.version) return;
    partition.view = view;
  }

  async listOpenRequests(limit: number): Promise<SpecialRequestEntry[]> {
    this.count('listOpenRequests');
    const key = (e: SpecialRequestEntry) => `${e.dueAt}#${e.requestId}`;
    return [...this.requestEntries.values()].filter((e) => e.open).sort((a, b) => key(a).localeCompare(key(b))).slice(0, limit);
  }

  async listAgentWork(agentId: string, limit: number): Promise<AgentWorkRead[]> {
    this.count('listAgentWork');
    const key = (r: AgentWorkRead) => `${r.work.dueAt}#${r.work.policyId}`;
    return [...this.partitions.values()]
      .flatMap((p) => (p.view?.agentWork?.agentId === agentId ? [{ work: p.view.agentWork, version: p.view.version }] : []))
      .sort((a, b) => key(a).localeCompare(key(b)))
      .slice(0, limit);
  }

  async logsAhead(heads: readonly SeenHead[]): Promise<Set<string>> {
    this.count('logsAhead');
    return new Set(heads.filter((h) => (this.partitions.get(h.policyId)?.events.length ?? 0) > h.version).map((h) => h.policyId));
  }

  /** For tests: the stored view of a policy. */
  view(policyId: string): Projection | undefined {
    return this.partitions.get(policyId)?.view;
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

  async listWork(bucket: WorkBucket, dueBy: string | undefined, limit: number, after?: WorkItem): Promise<QueuedWork[]> {
    this.count('listWork');
    return [...this.partitions.values()]
      .flatMap((p) => (p.view?.work?.bucket === bucket ? [{ item: p.view.work, version: p.view.version }] : []))
      .filter(({ item }) => (dueBy === undefined || item.dueAt <= dueBy) && (!after || workKey(item) > workKey(after)))
      .sort((a, b) => workKey(a.item).localeCompare(workKey(b.item)))
      .slice(0, limit);
  }

  async saveRequestLink(requestId: string, policyId: string): Promise<void> {
    this.requests.set(requestId, policyId);
  }

  async findRequestPolicy(requestId: string): Promise<string | undefined> {
    return this.requests.get(requestId);
  }

  private partition(policyId: string): Partition {
    let partition = this.partitions.get(policyId);
    if (!partition) this.partitions.set(policyId, (partition = { events: [], tokens: {} }));
    return partition;
  }

  private count(name: string): void {
    this.calls[name] = (this.calls[name] ?? 0) + 1;
  }
}
