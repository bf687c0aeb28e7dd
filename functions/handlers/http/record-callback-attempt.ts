import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { httpHandler } from '../../http/http-handler.js';
import { callbackAttemptSchema, policyIdParam } from '../../http/schemas.js';
import { recordCallbackAttempt } from '../../use-cases/record-callback-attempt.js';

export const handler = httpHandler({
  route: 'record-callback-attempt',
  params: { policyId: policyIdParam },
  body: callbackAttemptSchema,
  run: async ({ params, body, caller }) => ({ statusCode: 200, body: await recordCallbackAttempt(dependenciesFromEnv(), params.policyId, body, caller) }),
});
