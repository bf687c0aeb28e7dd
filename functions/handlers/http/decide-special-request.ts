import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { requestIdParam, specialRequestDecisionSchema } from '../../http/schemas.js';
import { decideSpecialRequest } from '../../use-cases/decide-special-request.js';

export const handler = httpHandler({
  route: 'decide-special-request',
  params: { requestId: requestIdParam },
  body: specialRequestDecisionSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await decideSpecialRequest(dependenciesFromEnv(), params.requestId, body, caller) }),
});
