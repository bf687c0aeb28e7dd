import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { workQueueQuerySchema } from '../../http/schemas.js';
import { listOpenWork } from '../../use-cases/read-policies.js';

export const handler = httpHandler({
  route: 'list-open-reviews',
  query: workQueueQuerySchema,
  run: async ({ query, caller }) => ({ statusCode: 200, body: await listOpenWork(dependenciesFromEnv(), caller, 'REVIEW', query.limit, query.branchId) }),
});
