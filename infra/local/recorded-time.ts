import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DateTime } from 'luxon';
import { AUDIT_INDEXES, AUDIT_SORT_KEY } from '../../functions/adapters/dynamodb/audit-index-keys.js';
import { parseEventAuditKey } from '../../functions/audit/audit-position.js';
import { LOCAL_CREDENTIALS } from './loopback.js';

/** How far past the clock file's month to look for events: a file can only lag by a restore. */
const MONTHS_AHEAD = 24;

/**
 * The newest instant an event records, from `from`'s month on (the audit month index sorts by
 * `<at>#…`): at start-up the clock resumes no earlier, so a lagging clock file cannot make new
 * events older than recorded ones.
 */
export async function newestRecordedInstant(endpoint: string, table: string, from: Date): Promise<Date | undefined> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 } });
  const index = AUDIT_INDEXES.month;
  try {
    const start = DateTime.fromJSDate(from, { zone: 'utc' }).startOf('month');
    const months = Array.from({ length: MONTHS_AHEAD + 1 }, (_, m) => start.plus({ months: m }).toFormat('yyyy-MM'));
    // One small query per month, side by side: start-up waits for the slowest, not for their sum.
    const latest = await Promise.all(months.map(async (month) => {
      const { Items } = await client.send(new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.pk, '#sk': AUDIT_SORT_KEY },
        ExpressionAttributeValues: { ':pk': { S: index.value(month) } },
        ProjectionExpression: '#sk',
        ScanIndexForward: false,
        Limit: 1,
      }));
      const key = Items?.[0]?.[AUDIT_SORT_KEY]?.S;
      return key === undefined ? undefined : parseEventAuditKey(key)?.at;
    }));
    let newest: Date | undefined;
    for (const at of latest) {
      const instant = at === undefined ? undefined : new Date(at);
      if (instant && !Number.isNaN(instant.getTime()) && (!newest || instant > newest)) newest = instant;
    }
    return newest;
  } finally {
    client.destroy();
  }
}
