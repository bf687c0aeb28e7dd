import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { accessLogQuerySchema } from '../../http/schemas.js';
import { listAccessLog } from '../../use-cases/access-log.js';

export const handler = httpHandler({
  route: 'list-access-log',
  query: accessLogQuerySchema,
  run: async ({ query, caller }) => ({ statusCode: 200, body: await listAccessLog(dependenciesFromEnv(), caller, query) }),
});
