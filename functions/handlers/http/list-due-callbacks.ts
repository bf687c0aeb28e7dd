import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { dueCallbacksQuerySchema } from '../../http/schemas.js';
import { listDueCallbacks } from '../../use-cases/read-policies.js';

export const handler = httpHandler({
  route: 'list-due-callbacks',
  query: dueCallbacksQuerySchema,
  run: async ({ query, caller }) => ({ statusCode: 200, body: await listDueCallbacks(dependenciesFromEnv(), caller, query.limit) }),
});
