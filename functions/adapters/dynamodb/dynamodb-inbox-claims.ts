import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { ClaimableInboxKind, InboxKind } from '../../domain/inbox-sla.js';
import { type ClaimAttempt, claimKeyOf, type InboxClaim, type InboxClaims, type ReleaseAttempt } from '../../ports/inbox-claims.js';
import { batchGet } from './batch-operations.js';
import type { Item, TableClient } from './table-client.js';
import { CLAIM_SORT_KEY, claimKey } from './table-keys.js';

/** A claimer may find the record gone between its failed put and its read (released meanwhile): try again, a few times. */
const MAX_TRIES = 5;

const claimOf = (item: Item): InboxClaim => ({ kind: item.kind as ClaimableInboxKind, itemId: String(item.itemId), claimedBy: String(item.claimedBy), claimedAt: String(item.claimedAt) });

/** One item per claimed inbox item (`CLAIM#<kind>#<itemId>`): a conditional put claims it, a conditional delete releases it. */
export class DynamoDbInboxClaims implements InboxClaims {
  constructor(private readonly db: TableClient, private readonly tableName: string) {}

  async claim(claim: InboxClaim): Promise<ClaimAttempt> {
    const key = { pk: claimKey(claim.kind, claim.itemId), sk: CLAIM_SORT_KEY };
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      try {
        await this.db.put({ TableName: this.tableName, Item: { ...key, ...claim }, ConditionExpression: 'attribute_not_exists(pk)' });
        return { outcome: 'held', claim };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item: item } = await this.db.get({ TableName: this.tableName, Key: key, ConsistentRead: true });
      if (!item) continue;
      const held = claimOf(item);
      return { outcome: held.claimedBy === claim.claimedBy ? 'held' : 'taken', claim: held };
    }
    throw new Error(`claim of ${claim.kind} ${claim.itemId} kept changing under ${MAX_TRIES} attempts`);
  }

  async release(kind: ClaimableInboxKind, itemId: string, by: string | undefined): Promise<ReleaseAttempt> {
    const key = { pk: claimKey(kind, itemId), sk: CLAIM_SORT_KEY };
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const { Item: item } = await this.db.get({ TableName: this.tableName, Key: key, ConsistentRead: true });
      if (!item) return { outcome: 'none' };
      const held = claimOf(item);
      if (by !== undefined && held.claimedBy !== by) return { outcome: 'notClaimer', claim: held };
      try {
        // Only the claim just read: a claim taken anew in between is not released by mistake.
        await this.db.delete({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'claimedBy = :by AND claimedAt = :at',
          ExpressionAttributeValues: { ':by': held.claimedBy, ':at': held.claimedAt },
        });
        return { outcome: 'released', claim: held };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`claim of ${kind} ${itemId} kept changing under ${MAX_TRIES} attempts`);
  }

  async claimsOf(items: readonly { readonly kind: InboxKind; readonly itemId: string }[]): Promise<Map<string, InboxClaim>> {
    if (items.length === 0) return new Map();
    const found = await batchGet(this.db, this.tableName, items.map((i) => ({ pk: claimKey(i.kind, i.itemId), sk: CLAIM_SORT_KEY })));
    return new Map(found.map((item) => {
      const claim = claimOf(item);
      return [claimKeyOf(claim), claim];
    }));
  }
}
