import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { runSettlementSchema } from '../../http/schemas.js';
import { startSettlement } from '../../use-cases/start-settlement.js';

/**
 * 202 while the run goes on or waits for earlier months queued before it (`catchUp`), GET the
 * statement later; 200 when the month was already settled, whatever ran since.
 */
export const handler = httpHandler({
  route: 'run-settlement',
  body: runSettlementSchema,
  run: async ({ body, caller }) => {
    const { run, started, catchUp } = await startSettlement(dependenciesFromEnv(), body.month, `api:${caller.role}${caller.subject ? `:${caller.subject}` : ''}`);
    return { statusCode: run.status === 'COMPLETED' ? 200 : 202, body: { ...run, started, ...(catchUp.length > 0 ? { catchUp } : {}) } };
  },
});
