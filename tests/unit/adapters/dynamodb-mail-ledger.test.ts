import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMailLedger } from '../../../functions/adapters/dynamodb/dynamodb-mail-ledger.js';
import { TableClient } from '../../../functions/adapters/dynamodb/table-client.js';
import type { MailClaim } from '../../../functions/ports/mail-ledger.js';
import { LOCAL_TABLE_NAME, startLocalDynamoDb, type LocalDynamoDb } from '../../../infra/local/dynamodb-local.js';
import { LOCAL_CREDENTIALS } from '../../../infra/local/loopback.js';

let dynamo: LocalDynamoDb;
let client: DynamoDBClient;
let ledger: DynamoDbMailLedger;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  ledger = new DynamoDbMailLedger(new TableClient(client), LOCAL_TABLE_NAME);
});
afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

const T0 = 1_800_000_000_000;
const claim = (id: string, token: string, now: number, leaseMs = 1_000): MailClaim => ({ id, token, now, leaseUntil: now + leaseMs, template: 'findings-review', to: ['a@insurer.example'] });

describe('the mail ledger on the table (conditions as DynamoDB evaluates them)', () => {
  it('claims a new mail once; a second claimant is busy until the lease runs out', async () => {
    expect(await ledger.claim(claim('m1', 'a', T0))).toEqual({ kind: 'claimed' });
    expect(await ledger.claim(claim('m1', 'b', T0 + 10))).toEqual({ kind: 'busy', leaseUntil: T0 + 1_000 });
    // The first sender died before marking: after its lease the next one takes over.
    expect(await ledger.claim(claim('m1', 'b', T0 + 1_001))).toEqual({ kind: 'claimed' });
  });

  it('never lets a sent mail be claimed again, however old', async () => {
    expect(await ledger.claim(claim('m2', 'a', T0))).toEqual({ kind: 'claimed' });
    await ledger.markSent('m2', '2026-03-02T01:00:00.000Z');
    expect(await ledger.claim(claim('m2', 'b', T0 + 10))).toEqual({ kind: 'sent' });
    expect(await ledger.claim(claim('m2', 'c', T0 + 10_000_000))).toEqual({ kind: 'sent' });
  });

  it('gives back only its own claim', async () => {
    expect(await ledger.claim(claim('m3', 'a', T0))).toEqual({ kind: 'claimed' });
    await ledger.release('m3', 'someone-else');
    expect(await ledger.claim(claim('m3', 'b', T0 + 10))).toMatchObject({ kind: 'busy' });
    await ledger.release('m3', 'a');
    expect(await ledger.claim(claim('m3', 'b', T0 + 20))).toEqual({ kind: 'claimed' });
    await ledger.markSent('m3', '2026-03-02T01:00:00.000Z');
    await ledger.release('m3', 'b');
    expect(await ledger.claim(claim('m3', 'c', T0 + 30))).toEqual({ kind: 'sent' });
  });
});
