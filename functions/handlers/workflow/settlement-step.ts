import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import { finishSettlement } from '../../use-cases/settlement/finish-settlement.js';
import { settlementShards, settlePage } from '../../use-cases/settlement/settle-page.js';
import { observedLambda, correlationIdOf } from '../../adapters/lambda-observability.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** The payloads of workflows/monthly-settlement.asl.json. */
const stepSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('shards'), month }),
  z.object({ action: z.literal('settlePage'), month, shard: z.number().int().nonnegative(), cursor: z.string() }),
  z.object({ action: z.literal('finish'), month }),
]);

/** Commissions per page: bounds the memory and the duration of one invocation. */
function pageSize(): number {
  const size = Number(process.env.SETTLEMENT_PAGE_SIZE ?? '1000');
  return Number.isInteger(size) && size > 0 ? size : 1000;
}

/** One Lambda for the settlement's steps: the shards, a page of a shard's unpaid commissions, then the summaries. */
async function settlementStep(payload: unknown): Promise<unknown> {
  const step = stepSchema.parse(payload);
  const deps = dependenciesFromEnv();
  logger.debug('settlement step', { action: step.action, month: step.month });
  switch (step.action) {
    case 'shards': return settlementShards(deps, step.month);
    case 'settlePage': return settlePage(deps, step.month, step.shard, step.cursor, pageSize());
    case 'finish': return finishSettlement(deps, step.month);
  }
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(settlementStep, correlationIdOf);
