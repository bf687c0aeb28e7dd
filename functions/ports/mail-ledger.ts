/**
 * Where each mail's dispatch is recorded, by its deterministic id: claimed (someone is sending
 * it now, under a lease), then sent. A claim whose lease ran out was left by a sender that
 * died or hung, and may be taken over.
 */
export type ClaimOutcome =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'sent' }
  /** Another sender holds a live lease, until `leaseUntil` (epoch ms). */
  | { readonly kind: 'busy'; readonly leaseUntil: number };

export interface MailClaim {
  readonly id: string;
  /** Unique to this attempt: only its holder gives a claim back. */
  readonly token: string;
  /** Epoch ms (operational time, not the business clock): now, and when the lease runs out. */
  readonly now: number;
  readonly leaseUntil: number;
  /** Kept with the record for whoever looks at it: the template and the recipients. */
  readonly template: string;
  readonly to: readonly string[];
}

export interface MailLedger {
  /** Claims the mail unless it was sent or another live lease holds it. */
  claim(claim: MailClaim): Promise<ClaimOutcome>;
  /** Records the mail as sent (unconditionally: once SES accepted it, nobody should send it again). */
  markSent(id: string, sentAt: string): Promise<void>;
  /** Gives back this attempt's claim after a failed send, so a retry may send at once. */
  release(id: string, token: string): Promise<void>;
}
