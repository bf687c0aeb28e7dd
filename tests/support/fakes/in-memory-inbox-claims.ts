import type { ClaimableInboxKind, InboxKind } from '../../../functions/domain/inbox-sla.js';
import { type ClaimAttempt, claimKeyOf, type InboxClaim, type InboxClaims, type ReleaseAttempt } from '../../../functions/ports/inbox-claims.js';

/** The InboxClaims port in memory, with the adapter's semantics: one claim per item, the first claimer wins. */
export class InMemoryInboxClaims implements InboxClaims {
  private readonly claims = new Map<string, InboxClaim>();

  async claim(claim: InboxClaim): Promise<ClaimAttempt> {
    const held = this.claims.get(claimKeyOf(claim));
    if (!held) {
      this.claims.set(claimKeyOf(claim), claim);
      return { outcome: 'held', claim };
    }
    return { outcome: held.claimedBy === claim.claimedBy ? 'held' : 'taken', claim: held };
  }

  async release(kind: ClaimableInboxKind, itemId: string, by: string | undefined): Promise<ReleaseAttempt> {
    const key = claimKeyOf({ kind, itemId });
    const held = this.claims.get(key);
    if (!held) return { outcome: 'none' };
    if (by !== undefined && held.claimedBy !== by) return { outcome: 'notClaimer', claim: held };
    this.claims.delete(key);
    return { outcome: 'released', claim: held };
  }

  async claimsOf(items: readonly { readonly kind: InboxKind; readonly itemId: string }[]): Promise<Map<string, InboxClaim>> {
    return new Map(items.flatMap((i) => {
      const held = this.claims.get(claimKeyOf(i));
      return held ? [[claimKeyOf(i), held] as const] : [];
    }));
  }
}
