import type { Item, QueryInput, QueryOutput, TableClient } from './table-client.js';

/** Every item one Query matches, following LastEvaluatedKey across pages (for small partitions). */
export async function queryAll(db: TableClient, input: Omit<QueryInput, 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out: QueryOutput = await db.query({ ...input, ExclusiveStartKey: startKey });
    items.push(...out.Items);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
