import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { qualityQuerySchema } from '../../http/schemas.js';
import { getQualityReport } from '../../use-cases/reports.js';

export const handler = httpHandler({
  route: 'get-quality-report',
  query: qualityQuerySchema,
  run: async ({ query, caller }) => ({ statusCode: 200, body: await getQualityReport(dependenciesFromEnv(), caller, query) }),
});
