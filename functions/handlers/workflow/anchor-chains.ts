import { z } from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import { runAnchor } from '../../use-cases/audit/anchor-history.js';

/** EventBridge Scheduler's payload (infra/constructs/archive.ts). */
const scheduleSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/** Daily: anchors the heads of every chain changed since the last anchor (docs/architecture.md "Anchors"). */
export async function handler(payload: unknown): Promise<{ created: boolean; id?: string }> {
  scheduleSchema.parse(payload ?? {});
  const result = await runAnchor(dependenciesFromEnv());
  const answer = { created: result.created, ...(result.anchor ? { id: result.anchor.id } : {}) };
  logger.info('anchor job', { created: answer.created, anchorId: answer.id });
  return answer;
}
