import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type BusinessMetrics, noBusinessMetrics } from '../../ports/business-metrics.js';
import type { ClaimOutcome, MailClaim, MailLedger } from '../../ports/mail-ledger.js';
import type { TableClient } from './table-client.js';
import { MAIL_SORT_KEY, mailKey } from './table-keys.js';

/** One item per mail (`MAIL#<id>`): a conditional put claims it, an update marks it sent. */
export class DynamoDbMailLedger implements MailLedger {
  /** `metrics` counts the mails marked sent (a retried mark may count twice; the count is operational). */
  constructor(private readonly db: TableClient, private readonly tableName: string, private readonly metrics: BusinessMetrics = noBusinessMetrics) {}

  async claim(claim: MailClaim): Promise<ClaimOutcome> {
    const key = { pk: mailKey(claim.id), sk: MAIL_SORT_KEY };
    try {
      await this.db.put({
        TableName: this.tableName,
        Item: { ...key, status: 'CLAIMED', token: claim.token, leaseUntil: claim.leaseUntil, claimedAt: new Date(claim.now).toISOString(), template: claim.template, to: [...claim.to] },
        // New, or claimed by a sender whose lease ran out (it died or hung before marking).
        ConditionExpression: 'attribute_not_exists(pk) OR (#s = :claimed AND #l < :now)',
        ExpressionAttributeNames: { '#s': 'status', '#l': 'leaseUntil' },
        ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':now': claim.now },
      });
      return { kind: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item: item } = await this.db.get({ TableName: this.tableName, Key: key, ConsistentRead: true });
    if (item?.status === 'SENT') return { kind: 'sent' };
    // Given back in between (absent): busy until now, so the caller claims again at once.
    return { kind: 'busy', leaseUntil: typeof item?.leaseUntil === 'number' ? item.leaseUntil : claim.now };
  }

  async markSent(id: string, sentAt: string): Promise<void> {
    await this.db.update({
      TableName: this.tableName,
      Key: { pk: mailKey(id), sk: MAIL_SORT_KEY },
      UpdateExpression: 'SET #s = :sent, sentAt = :at REMOVE #t, #l',
      ExpressionAttributeNames: { '#s': 'status', '#t': 'token', '#l': 'leaseUntil' },
      ExpressionAttributeValues: { ':sent': 'SENT', ':at': sentAt },
    });
    this.metrics.count('MailsSent');
  }

  async release(id: string, token: string): Promise<void> {
    try {
      await this.db.delete({
        TableName: this.tableName,
        Key: { pk: mailKey(id), sk: MAIL_SORT_KEY },
        ConditionExpression: '#s = :claimed AND #t = :token',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'token' },
        ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':token': token },
      });
    } catch (error) {
      // Taken over or sent meanwhile: not ours to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
