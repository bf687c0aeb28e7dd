import * as z from 'zod';
import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { logger } from '../../adapters/logger.js';
import { sendQuarterlyFalseContactReport } from '../../use-cases/reports/quarterly-report.js';
import { observedLambda } from '../../adapters/lambda-observability.js';

/** EventBridge Scheduler's payload (infra/constructs/audit-trail.ts): when the quarter closed. */
const scheduleSchema = z.object({ scheduledTime: z.iso.datetime({ offset: true }).optional() });

/** At each quarter's close: the false-information summary of the closed quarter to compliance, once. */
async function sendReports(payload: unknown): Promise<{ quarter: string; sent: boolean }> {
  const { scheduledTime } = scheduleSchema.parse(payload ?? {});
  const deps = dependenciesFromEnv();
  const result = await sendQuarterlyFalseContactReport(deps, scheduledTime ? new Date(scheduledTime) : deps.clock.now());
  logger.info('quarterly false-contact report', result);
  return result;
}

/** The Lambda entry, through the Powertools chain (functions/adapters/lambda-observability.ts). */
export const handler = observedLambda(sendReports, () => undefined);
