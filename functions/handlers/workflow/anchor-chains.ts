import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { observedLambda } from '../../adapters/lambda-observability.js';
import { logger } from '../../adapters/logger.js';
import { runAnchor } from '../../use-cases/audit/anchor-history.js';

/** EventBridge Scheduler's payload (infra/constructs/archive-jobs.ts). */
const scheduleSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/** Daily: anchors the heads of every chain changed since the last anchor (docs/architecture.md "Anchors"). */
async function anchorChains(payload: unknown): Promise<{ created: boolean; id?: string }> {
  scheduleSchema.parse(payload ?? {});
  const result = await runAnchor(dependenciesFromEnv());
  const answer = { created: result.created, ...(result.anchor ? { id: result.anchor.id } : {}) };
  logger.info('anchor job', { created: answer.created, anchorId: answer.id });
  return answer;
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(anchorChains, () => undefined);
