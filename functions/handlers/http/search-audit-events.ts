import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { auditSearchQuerySchema } from '../../http/schemas.js';
import { searchAuditEvents } from '../../use-cases/audit-search.js';

export const handler = httpHandler({
  route: 'search-audit-events',
  query: auditSearchQuerySchema,
  run: async ({ query, caller }) => ({ statusCode: 200, body: await searchAuditEvents(dependenciesFromEnv(), caller, query) }),
});
