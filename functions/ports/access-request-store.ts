/** What an archive access request covers: exactly one of policies, an agent's or a branch's policies. */
export type ArchiveScope =
  | { readonly policyIds: readonly string[] }
  | { readonly agentId: string }
  | { readonly branchId: string };

/** An auditor's request to read archived histories, and its decision (docs/rules.md §7: 查阅档案必须经过授权审批). */
export interface AccessRequest {
  readonly requestId: string;
  readonly requestedAt: string;
  readonly requester: { readonly role: string; readonly subject?: string };
  readonly scope: ArchiveScope;
  /** Policies printed in [from, to) are covered. */
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly decision?: {
    readonly approve: boolean;
    readonly validUntil?: string;
    readonly decidedAt: string;
    readonly decider: { readonly role: string; readonly subject?: string };
  };
}

export interface AccessRequestStore {
  create(request: AccessRequest): Promise<void>;
  get(requestId: string): Promise<AccessRequest | undefined>;
  /** Conditional: a request is decided once; false when it already was. */
  decide(requestId: string, decision: NonNullable<AccessRequest['decision']>): Promise<boolean>;
  /** The approved requests of one requester (a few per auditor: read whole). */
  approvedFor(subject: string): Promise<AccessRequest[]>;
}
