import type { ClaimableInboxKind, InboxKind } from '../domain/inbox-sla.js';

/** Who took an inbox item, and when (business time). */
export interface InboxClaim {
  readonly kind: ClaimableInboxKind;
  readonly itemId: string;
  readonly claimedBy: string;
  readonly claimedAt: string;
}

/** A claim attempt: this subject holds it now (new, or already its own), or another subject does. */
export type ClaimAttempt =
  | { readonly outcome: 'held'; readonly claim: InboxClaim }
  | { readonly outcome: 'taken'; readonly claim: InboxClaim };

/** A release: nothing was claimed, it was released, or another subject holds it (and `by` was not allowed to release it). */
export type ReleaseAttempt =
  | { readonly outcome: 'none' }
  | { readonly outcome: 'released'; readonly claim: InboxClaim }
  | { readonly outcome: 'notClaimer'; readonly claim: InboxClaim };

/**
 * Claims on inbox items, one record per (kind, item), written conditionally so that of any
 * number of concurrent claimers exactly one wins, and a crash leaves either no claim or a
 * whole one. Claims of finished items are ignored by readers, not cleaned up.
 */
export interface InboxClaims {
  /** Claims the item for `subject` unless another subject holds it; the same subject again gets its claim back. */
  claim(claim: InboxClaim): Promise<ClaimAttempt>;
  /** Releases the item's claim if `by` holds it, or whoever holds it when `by` is undefined (a manager). */
  release(kind: ClaimableInboxKind, itemId: string, by: string | undefined): Promise<ReleaseAttempt>;
  /** The claims of these items, by `kind#itemId`. */
  claimsOf(items: readonly { readonly kind: InboxKind; readonly itemId: string }[]): Promise<Map<string, InboxClaim>>;
}

export const claimKeyOf = (item: { readonly kind: InboxKind; readonly itemId: string }): string => `${item.kind}#${item.itemId}`;
