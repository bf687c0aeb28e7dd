import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import { sendIntegrityMails } from '../../use-cases/reports/integrity-mails.js';
import { sendQuarterlyFalseContactReport } from '../../use-cases/reports/quarterly-report.js';
import { observedLambda } from '../../adapters/lambda-observability.js';

/** EventBridge Scheduler's payload (infra/constructs/audit-trail.ts): when the quarter closed. */
const scheduleSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/**
 * At each quarter's close: the false-information summary of the closed quarter to compliance,
 * and the integrity threshold mails to branch managers, each once (a failure throws, so the
 * schedule's retry sends what is missing).
 */
async function sendReports(payload: unknown): Promise<{ quarter: string; sent: boolean; integrity: { flagged: number; sent: number } }> {
  const { scheduledTime } = scheduleSchema.parse(payload ?? {});
  const deps = dependenciesFromEnv();
  const at = scheduledTime ? new Date(scheduledTime) : deps.clock.now();
  const result = await sendQuarterlyFalseContactReport(deps, at);
  logger.info('quarterly false-contact report', result);
  const integrity = await sendIntegrityMails(deps, at);
  logger.info('quarterly integrity mails', integrity);
  return { ...result, integrity: { flagged: integrity.flagged, sent: integrity.sent } };
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(sendReports, () => undefined);
