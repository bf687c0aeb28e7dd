import type { Item, TableClient } from './table-client.js';

const WRITE_BATCH = 25;
const GET_BATCH = 100;
const MAX_ROUNDS = 8;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const pause = (round: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));

/**
 * Unconditional puts, 25 a request, a few requests in flight (one: batch after batch, in
 * order); unprocessed items are retried with backoff. Returns the requests made.
 */
export async function batchPut(db: TableClient, tableName: string, items: readonly Item[], concurrency = 4): Promise<number> {
  const batches = chunks(items, WRITE_BATCH);
  let next = 0;
  let made = 0;
  const worker = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw new Error(`BatchWriteItem: ${requests.length} items still unprocessed after ${MAX_ROUNDS} rounds`);
        if (round > 0) await pause(round);
        requests = (await db.batchWrite(tableName, requests)) as typeof requests;
        made++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return made;
}

/** Strongly consistent reads of many keys, 100 a request; missing keys are simply absent. `projection` names the attributes read. */
export async function batchGet(db: TableClient, tableName: string, keys: readonly Item[], projection?: string): Promise<Item[]> {
  const found: Item[] = [];
  for (const batch of chunks(keys, GET_BATCH)) {
    let pending: Item[] = batch;
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`BatchGetItem: ${pending.length} keys still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await pause(round);
      const out = await db.batchGet(tableName, { Keys: pending, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) });
      found.push(...out.items);
      pending = out.unprocessed;
    }
  }
  return found;
}
