import type { ClaimOutcome, MailClaim, MailLedger } from '../../../functions/ports/mail-ledger.js';

interface Entry {
  status: 'CLAIMED' | 'SENT';
  token?: string;
  leaseUntil?: number;
  sentAt?: string;
}

/** The mail ledger in memory, with the DynamoDB adapter's conditions. */
export class InMemoryMailLedger implements MailLedger {
  readonly entries = new Map<string, Entry>();

  async claim(claim: MailClaim): Promise<ClaimOutcome> {
    const entry = this.entries.get(claim.id);
    if (entry?.status === 'SENT') return { kind: 'sent' };
    if (entry && (entry.leaseUntil ?? 0) >= claim.now) return { kind: 'busy', leaseUntil: entry.leaseUntil ?? claim.now };
    this.entries.set(claim.id, { status: 'CLAIMED', token: claim.token, leaseUntil: claim.leaseUntil });
    return { kind: 'claimed' };
  }

  async markSent(id: string, sentAt: string): Promise<void> {
    this.entries.set(id, { status: 'SENT', sentAt });
  }

  async release(id: string, token: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry?.status === 'CLAIMED' && entry.token === token) this.entries.delete(id);
  }
}
